import type { ServiceImplementation } from '@ktrdr/core';
import { QueueOperations, type QueueOperationsOptions } from './queue-operations';
import { createQueueOperationsService } from './queue-operations-service';
import { createQueueStartService } from './queue-start-service';

/**
 * What the backend API mounts when `KTRDR_REDIS_URL` is set: the start routes enqueue, the
 * operations routes read Redis. `@ktrdr/server` takes it as an option and imports this package only
 * with `await import()`, so an API without Redis loads neither BullMQ nor ioredis.
 */
export interface ApiQueue {
  readonly operations: QueueOperations;
  /** `POST /data/load`, `POST /trainings/start`: mounted before the in-process ones, which they replace. */
  readonly startService: ServiceImplementation;
  /** `/operations...`: replaces the in-process registry's routes. */
  readonly operationsService: ServiceImplementation;
  close(): Promise<void>;
}

/** Connects to Redis and builds the API's queue-backed routes. */
export async function openApiQueue(options: QueueOperationsOptions): Promise<ApiQueue> {
  const operations = await QueueOperations.open(options);
  return {
    operations,
    startService: createQueueStartService(operations),
    operationsService: createQueueOperationsService(operations),
    close: () => operations.close(),
  };
}
