import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { OperationInfo } from '../api/api-types';
import { useStartOperation } from '../api/use-start-operation';
import { ErrorMessage } from '../components/error-message';
import { OperationStatus } from '../components/operation-status';
import { TextField } from '../components/text-field';

/** Starts a training of a strategy in the server's strategies folder and follows it. */
export function TrainForm({ client, onTrained }: { client: ApiClient; onTrained: (model?: string) => void }) {
  const [strategy, setStrategy] = useState('neuro-fuzzy-sample');
  const [symbol, setSymbol] = useState('AAPL');
  const [timeframe, setTimeframe] = useState('1h');
  const [epochs, setEpochs] = useState('5');
  const [started, setStarted] = useState<string | undefined>();
  const { error, start } = useStartOperation(client);
  const submit = async (event: Event) => {
    event.preventDefault();
    const id = await start('/trainings/start', {
      strategy_name: strategy.trim(),
      symbol: symbol.trim().toUpperCase(),
      timeframe: timeframe.trim(),
      epochs: Number(epochs),
    });
    if (id !== undefined) setStarted(id);
  };
  const onEnd = (info: OperationInfo) => {
    const model = info.result_summary?.['model'];
    if (info.status === 'completed') onTrained(typeof model === 'string' ? model : undefined);
  };
  return (
    <form class="train-form" onSubmit={submit} aria-labelledby="train-title">
      <h3 id="train-title">Train a model</h3>
      <TextField label="Strategy" name="strategy" value={strategy} required onInput={setStrategy} />
      <TextField label="Symbol" name="symbol" value={symbol} required onInput={setSymbol} />
      <TextField label="Timeframe" name="timeframe" value={timeframe} required onInput={setTimeframe} />
      <TextField
        label="Epochs"
        name="epochs"
        type="number"
        min={1}
        max={10000}
        value={epochs}
        required
        onInput={setEpochs}
      />
      <button type="submit">Start training</button>
      {error !== undefined && <ErrorMessage code={error.code} message={error.message} />}
      {started !== undefined && (
        <OperationStatus key={started} client={client} operationId={started} label="Training" onEnd={onEnd} />
      )}
    </form>
  );
}
