import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { OperationInfo } from '../api/api-types';
import { ErrorMessage } from '../components/error-message';
import { OperationStatus } from '../components/operation-status';

/** Starts a training of a strategy in the server's strategies folder and follows it. */
export function TrainForm({ client, onTrained }: { client: ApiClient; onTrained: (model?: string) => void }) {
  const [strategy, setStrategy] = useState('neuro-fuzzy-sample');
  const [symbol, setSymbol] = useState('AAPL');
  const [timeframe, setTimeframe] = useState('1h');
  const [epochs, setEpochs] = useState('5');
  const [started, setStarted] = useState<string | undefined>();
  const [error, setError] = useState<{ code?: string; message: string } | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const answer = await client.send<{ operation_id: string }>('POST', '/trainings/start', {
        strategy_name: strategy.trim(),
        symbol: symbol.trim().toUpperCase(),
        timeframe: timeframe.trim(),
        epochs: Number(epochs),
      });
      setStarted(answer.operation_id);
    } catch (e) {
      const err = e as { code?: string; message?: string };
      setError({ code: err.code, message: err.message ?? String(e) });
    }
  };
  const onEnd = (info: OperationInfo) => {
    const model = info.result_summary?.['model'];
    if (info.status === 'completed') onTrained(typeof model === 'string' ? model : undefined);
  };
  return (
    <form class="train-form" onSubmit={submit} aria-labelledby="train-title">
      <h3 id="train-title">Train a model</h3>
      <label>
        Strategy{' '}
        <input
          name="strategy"
          value={strategy}
          required
          onInput={(e) => setStrategy(e.currentTarget.value)}
        />
      </label>
      <label>
        Symbol{' '}
        <input name="symbol" value={symbol} required onInput={(e) => setSymbol(e.currentTarget.value)} />
      </label>
      <label>
        Timeframe{' '}
        <input
          name="timeframe"
          value={timeframe}
          required
          onInput={(e) => setTimeframe(e.currentTarget.value)}
        />
      </label>
      <label>
        Epochs{' '}
        <input
          name="epochs"
          type="number"
          min={1}
          max={10000}
          value={epochs}
          required
          onInput={(e) => setEpochs(e.currentTarget.value)}
        />
      </label>
      <button type="submit">Start training</button>
      {error !== undefined && <ErrorMessage code={error.code} message={error.message} />}
      {started !== undefined && (
        <OperationStatus key={started} client={client} operationId={started} label="Training" onEnd={onEnd} />
      )}
    </form>
  );
}
