import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { ModelSummary, OperationInfo } from '../api/api-types';
import { useStartOperation } from '../api/use-start-operation';
import { ErrorMessage } from '../components/error-message';
import { OperationStatus } from '../components/operation-status';
import { SelectField } from '../components/select-field';
import { TextField } from '../components/text-field';

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
  const { error, start: startBacktest } = useStartOperation(client);
  const chosen = models.find((m) => m.name === model) ?? models[0];
  const submit = async (event: Event) => {
    event.preventDefault();
    if (chosen === undefined) return;
    const id = await startBacktest('/backtests', {
      model: chosen.name,
      symbol: (symbol.trim() || chosen.symbol).toUpperCase(),
      timeframe: timeframe.trim() || chosen.timeframe,
      start_date: start,
      ...(end === '' ? {} : { end_date: end }),
    });
    if (id !== undefined) setStarted(id);
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
          <TextField
            label="Symbol"
            name="symbol"
            value={symbol}
            placeholder={chosen?.symbol}
            onInput={setSymbol}
          />
          <TextField
            label="Timeframe"
            name="timeframe"
            value={timeframe}
            placeholder={chosen?.timeframe}
            onInput={setTimeframe}
          />
          <TextField label="From" name="start" type="date" value={start} required onInput={setStart} />
          <TextField label="To" name="end" type="date" value={end} onInput={setEnd} />
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
