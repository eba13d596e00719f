import { useEffect } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { OperationInfo } from '../api/api-types';
import { useOperation } from '../api/use-operation';
import { ErrorMessage } from './error-message';
import { ProgressBar } from './progress-bar';

/** Props of {@link OperationStatus}. */
export interface OperationStatusProps {
  client: ApiClient;
  operationId: string;
  /** What the operation does, e.g. "Load AAPL 1h". */
  label: string;
  /** Called once, when the operation ends. */
  onEnd?: (info: OperationInfo) => void;
}

/** One started operation followed live: its progress bar, step, and outcome. */
export function OperationStatus({ client, operationId, label, onEnd }: OperationStatusProps) {
  const { info, error } = useOperation(client, operationId);
  const status = info?.status ?? 'pending';
  const done = status === 'completed' || status === 'failed' || status === 'cancelled';
  useEffect(() => {
    if (done && info !== undefined) onEnd?.(info);
    // Once per end: later renders of the same finished operation must not call it again.
  }, [done]);
  return (
    <div class="operation-status" data-operation-id={operationId} data-status={status}>
      <p>
        {label}: <strong class={`status status-${status}`}>{status}</strong>
        {info?.progress.current_step !== undefined && !done && (
          <span class="step"> · {info.progress.current_step}</span>
        )}
      </p>
      <ProgressBar percentage={info?.progress.percentage ?? 0} label={`${label} progress`} />
      {info?.error_message !== undefined && (
        <ErrorMessage code={info.error_code} message={info.error_message} />
      )}
      {error !== undefined && <ErrorMessage message={`Progress stream: ${error}`} />}
    </div>
  );
}
