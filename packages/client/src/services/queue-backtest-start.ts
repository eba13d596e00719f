import { type ServiceImplementation, defineService, implementService } from '@ktrdr/core';
import { backtestApiContract } from '@ktrdr/backtest';
import type { QueueOperations } from '@ktrdr/queue';
import { parseModelName } from '@ktrdr/training';

/** `POST /backtests` alone: the backtest route that becomes a job on the `backtest` queue. */
export const queueBacktestStartContract = defineService('ktrdr API (queued backtests)', {
  start: backtestApiContract.routes.start,
});

/**
 * `POST /backtests` over {@link QueueOperations}: the request is checked as in-process (the route's
 * schema, then the model name), enqueued on `backtest` and answered at once with the pending
 * operation, in the same shape. A `ktrdr worker` runs it; what only the run can check (an unknown
 * model, missing bars) fails the operation with that reason. Lives here rather than in
 * `@ktrdr/queue`, which does not depend on `@ktrdr/backtest`.
 */
export function createQueueBacktestStartService(
  operations: QueueOperations,
): ServiceImplementation<typeof queueBacktestStartContract> {
  return implementService(queueBacktestStartContract, {
    async start(input) {
      parseModelName(input.model);
      // The same metadata as an in-process backtest's (BacktestService.startBacktest).
      const data = await operations.enqueue('backtest', input, {
        model: input.model,
        symbol: input.symbol,
        timeframe: input.timeframe ?? null,
        start_date: input.start_date,
        end_date: input.end_date ?? null,
        metrics_mode: input.metrics_mode ?? 'standard',
      });
      return { success: true as const, operation_id: data.operation_id, status: data.status, data };
    },
  });
}
