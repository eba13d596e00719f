import {
  type ServiceImplementation,
  type OperationsContract,
  implementService,
  operationsContract,
  pageOperations,
} from '@ktrdr/core';
import type { QueueOperations } from './queue-operations';

/**
 * The operations routes (`/operations`, the same `operationsContract` as in-process) over
 * {@link QueueOperations}: what the backend API mounts when `KTRDR_REDIS_URL` is set.
 */
export function createQueueOperationsService(
  operations: QueueOperations,
): ServiceImplementation<OperationsContract> {
  const cancel = async ({ operation_id, reason }: { operation_id: string; reason?: string | undefined }) => ({
    success: true as const,
    data: await operations.cancel(operation_id, reason),
  });
  return implementService(operationsContract, {
    async list({ status, operation_type, limit, offset }) {
      const matching = await operations.list({ status, type: operation_type });
      return { success: true as const, ...pageOperations(matching, { limit, offset }) };
    },
    async get({ operation_id }) {
      return { success: true as const, data: await operations.get(operation_id) };
    },
    cancel,
    cancelByPost: cancel,
    async wait({ operation_id }, { reportProgress, signal }) {
      const data = await operations.follow(operation_id, { onProgress: reportProgress, signal });
      return { success: true as const, data };
    },
  });
}
