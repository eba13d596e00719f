import type { ServiceImplementation } from '@ktrdr/core';
import type { QueueOperations } from './queue-operations';

/**
 * What the backend API mounts when `KTRDR_REDIS_URL` is set: the start routes enqueue, the
 * operations routes read Redis. Assembled by `openApiQueue` of `@ktrdr/client/services`, which
 * imports this package only when a Redis URL is set, so an API without Redis loads neither BullMQ
 * nor ioredis; `@ktrdr/server` takes it as an option.
 */
export interface ApiQueue {
  readonly operations: QueueOperations;
  /** `POST /data/load`, `POST /trainings/start`: mounted before the in-process ones, which they replace. */
  readonly startService: ServiceImplementation;
  /**
   * `POST /backtests` (on the `backtest` queue): mounted before the in-process backtest routes,
   * whose start it replaces; listing and showing stored backtests stay the API's own.
   */
  readonly backtestStartService?: ServiceImplementation;
  /** `/operations...`: replaces the in-process registry's routes. */
  readonly operationsService: ServiceImplementation;
  close(): Promise<void>;
}
