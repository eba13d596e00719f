import { type ServiceImplementation, implementService } from '../contract/implement-service';
import type { OperationHandle } from './operation-handle';
import type { OperationRegistry } from './operation-registry';
import { type OperationsContract, operationsContract } from './operations-contract';
import { pageOperations } from './operations-page';

/** Resolves once `handle` has ended, reporting each progress update meanwhile. */
function waitForEnd(
  handle: OperationHandle<unknown>,
  report: (progress: unknown) => void,
  signal: AbortSignal,
) {
  return new Promise<void>((resolve) => {
    if (handle.done) return resolve();
    const onProgress = (progress: unknown) => report(progress);
    const finish = () => {
      if (!handle.done && !signal.aborted) return;
      handle.off('progress', onProgress);
      handle.off('status', finish);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    handle.on('progress', onProgress);
    handle.on('status', finish);
    // A waiter that goes away stops waiting; the operation itself goes on.
    signal.addEventListener('abort', finish, { once: true });
  });
}

/** The operations routes over a registry: mounted by the backend API, callable in-process. */
export function createOperationsService(
  registry: OperationRegistry,
): ServiceImplementation<OperationsContract> {
  const cancel = ({ operation_id, reason }: { operation_id: string; reason?: string | undefined }) => ({
    success: true as const,
    data: registry.cancel(operation_id, reason),
  });
  return implementService(operationsContract, {
    list({ status, operation_type, limit, offset }) {
      const matching = registry.list({ status, type: operation_type });
      return { success: true as const, ...pageOperations(matching, { limit, offset }) };
    },
    get({ operation_id }) {
      return { success: true as const, data: registry.get(operation_id).describe() };
    },
    cancel,
    cancelByPost: cancel,
    async wait({ operation_id }, { reportProgress, signal }) {
      const handle = registry.get(operation_id);
      await waitForEnd(handle, reportProgress, signal);
      return { success: true as const, data: handle.describe() };
    },
  });
}
