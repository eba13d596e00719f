import { defineService, implementService, type ServiceImplementation } from '@ktrdr/core';
import { dataApiContract } from '@ktrdr/data';
import { trainingApiContract } from '@ktrdr/training';
import type { QueueOperations } from './queue-operations';

/** The two start routes that become jobs: `POST /data/load` and `POST /trainings/start`. */
export const queueStartContract = defineService('backend API', {
  load: dataApiContract.routes.load,
  start: trainingApiContract.routes.start,
});

/** Facts shown with a queued operation, from its start input (what is known before it runs). */
function pick(input: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]));
}

/**
 * The start routes over {@link QueueOperations}: the input is validated by the same route schema as
 * in-process, then enqueued (`data-load`, `training`) and answered at once with the pending
 * operation, in the same shape. What only the work can check (an unknown symbol, a strategy's
 * settings) is checked by the worker: the operation then fails with that reason.
 */
export function createQueueStartService(
  operations: QueueOperations,
): ServiceImplementation<typeof queueStartContract> {
  return implementService(queueStartContract, {
    async load(input) {
      const metadata = pick(input, [
        'symbol',
        'timeframe',
        'mode',
        'start_date',
        'end_date',
        'instrument_type',
      ]);
      const data = await operations.enqueue('data-load', input, metadata);
      return { success: true as const, operation_id: data.operation_id, status: data.status, data };
    },
    async start(input) {
      const { strategy_name: strategy, ...rest } = input;
      // `strategy` as in-process; the worker adds the rest (symbols, warnings...) once it knows them.
      const metadata = pick({ strategy, ...rest }, [
        'strategy',
        'strategy_file',
        'symbol',
        'timeframe',
        'symbols',
        'timeframes',
        'epochs',
        'seed',
      ]);
      const data = await operations.enqueue('training', input, metadata);
      return { success: true as const, operation_id: data.operation_id, status: data.status, data };
    },
  });
}
