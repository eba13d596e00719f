import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { ModelSummary, OperationInfo } from '../api/api-types';
import { ErrorMessage } from '../components/error-message';
import { OperationStatus } from '../components/operation-status';
import { SelectField } from '../components/select-field';

/**
 * Starts a backtest of a stored model (`POST /backtests`) and follows its operation; the symbol and
 * timeframe default to the model's. `onDone` gets the new backtest's id once it completes.
 */
export function BacktestForm({
  client,
  models,
  onDone,
}: {
  client: ApiClient;
  models: readonly ModelSummary[];
  onDone: (backtestId?: string) => void;
}) {
  const [model, setModel] = useState('');
  const [symbol, setSymbol] = useState('');
  const [timeframe, setTimeframe] = useState('');
  const [start, setStart] = useState('2020-01-01');
  const [end, setEnd] = useState('');
  const [started, setStarted] = useState<string | undefined>();
  const [error, setError] = useState<{ code?: string; message: string } | undefined>();
  const chosen = models.find((m) => m.name === model) ?? models[0];
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (chosen === undefined) return;
    try {
      const answer = await client.send<{ operation_id: string }>('POST', '/backtests', {
        model: chosen.name,
        symbol: (symbol.trim() || chosen.symbol).toUpperCase(),
        timeframe: timeframe.trim() || chosen.timeframe,
        start_date: start,
        ...(end === '' ? {} : { end_date: end }),
      });
      setStarted(answer.operation_id);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      setError({ code: err.code, message: err.message ?? String(e) });
    }
  };
  const onEnd = (info: OperationInfo) => {
    const id = info.result_summary?.['backtest_id'];
    if (info.status === 'completed') onDone(typeof id === 'string' ? id : undefined);
  };
  return (
    <form class="backtest-form" onSubmit={submit} aria-labelledby="backtest-form-title">
      <h3 id="backtest-form-title">Run a backtest</h3>
      {models.length === 0 ? (
        <p class="hint">No models yet: train one on the Models page first.</p>
      ) : (
        <>
          <SelectField
            label="Model"
            name="model"
            value={chosen?.name ?? ''}
            onChange={setModel}
            options={models.map((m) => m.name)}
          />
          <label>
            Symbol{' '}
            <input
              name="symbol"
              value={symbol}
              placeholder={chosen?.symbol}
              onInput={(e) => setSymbol(e.currentTarget.value)}
            />
          </label>
          <label>
            Timeframe{' '}
            <input
              name="timeframe"
              value={timeframe}
              placeholder={chosen?.timeframe}
              onInput={(e) => setTimeframe(e.currentTarget.value)}
            />
          </label>
          <label>
            From{' '}
            <input
              type="date"
              name="start"
              value={start}
              required
              onInput={(e) => setStart(e.currentTarget.value)}
            />
          </label>
          <label>
            To <input type="date" name="end" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </label>
          <button type="submit">Start backtest</button>
        </>
      )}
      {error !== undefined && <ErrorMessage code={error.code} message={error.message} />}
      {started !== undefined && (
        <OperationStatus key={started} client={client} operationId={started} label="Backtest" onEnd={onEnd} />
      )}
    </form>
  );
}
