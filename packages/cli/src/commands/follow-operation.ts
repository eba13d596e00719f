import type { OperationInfo } from '@ktrdr/core';
import { type KtrdrError, errorFromJSON, isErrorCode } from '@ktrdr/core/errors';
import type { CliContext } from '../cli/context';
import { ProgressReporter, type ProgressUpdate } from '../render/progress';
import type { CliSession } from '../session/cli-session';

/** Options of {@link followOperation}. */
export interface FollowOptions {
  operationId: string;
  /** What the progress line is about, e.g. `AAPL 1h`. */
  label: string;
  stepsUnit?: string;
  itemsUnit?: string;
  /** Show progress on stderr (`--no-progress` turns it off). */
  progress: boolean;
  /**
   * What Ctrl+C does: `cancel` the operation (this command started it), or `detach` and leave it
   * running (`operations follow` only watches).
   */
  onInterrupt: 'cancel' | 'detach';
}

/** How following ended. */
export interface FollowResult {
  /** The operation's last snapshot. */
  info: OperationInfo;
  /** Ctrl+C was pressed. */
  interrupted: boolean;
}

/** Following a running operation has no deadline of its own: trainings run for hours. */
const WAIT_TIMEOUT_MS = 24 * 60 * 60 * 1000;
/** How long a cancelled operation may take to stop before the command gives up waiting. */
const CANCEL_GRACE_MS = 15_000;

/**
 * Follows an operation to its end with `operations.wait`, showing its progress. Ctrl+C cancels it
 * through the operations API (in-process or over HTTP alike) and waits for it to stop, so no load
 * is left half-written behind the user's back; a second Ctrl+C quits at once (the bin's job).
 */
export async function followOperation(
  context: CliContext,
  session: CliSession,
  options: FollowOptions,
): Promise<FollowResult> {
  const id = options.operationId;
  const reporter = options.progress
    ? new ProgressReporter(context.io.stderr, {
        label: options.label,
        stepsUnit: options.stepsUnit,
        itemsUnit: options.itemsUnit,
      })
    : undefined;
  const waiting = new AbortController();
  let interrupted = false;
  let grace: NodeJS.Timeout | undefined;
  const onInterrupt = () => {
    interrupted = true;
    reporter?.finish();
    if (options.onInterrupt === 'detach') {
      context.note(`Stopped following ${id}; it keeps running (ktrdr operations cancel ${id} stops it).`);
      waiting.abort();
      return;
    }
    context.note(`Cancelling ${id}... (Ctrl+C again to quit at once)`);
    grace = setTimeout(() => waiting.abort(), CANCEL_GRACE_MS);
    session.operations.cancel({ operation_id: id, reason: 'Interrupted by the user (Ctrl+C)' }).catch(() => {
      // Already finished, or the API went away: the wait below tells which.
    });
  };
  if (context.interrupt.aborted) onInterrupt();
  else context.interrupt.addEventListener('abort', onInterrupt, { once: true });
  try {
    const answer = await session.operations.wait(
      { operation_id: id },
      {
        signal: waiting.signal,
        timeoutMs: WAIT_TIMEOUT_MS,
        onProgress:
          reporter === undefined ? undefined : (progress) => reporter.update(progress as ProgressUpdate),
      },
    );
    return { info: answer.data, interrupted };
  } catch (error) {
    if (!interrupted) throw error;
    // Detached, or the operation did not stop within the grace period: report what is known.
    const latest = await session.operations.get({ operation_id: id }).catch(() => undefined);
    if (latest === undefined) throw error;
    return { info: latest.data, interrupted };
  } finally {
    clearTimeout(grace);
    context.interrupt.removeEventListener('abort', onInterrupt);
    reporter?.finish();
  }
}

/** The error a failed operation ended with, as the class its code names (for the exit code). */
export function operationError(info: OperationInfo): KtrdrError {
  const code = isErrorCode(info.error_code) ? info.error_code : 'internal';
  const message = info.error_message ?? `Operation ${info.operation_id} ${info.status}`;
  return errorFromJSON({ name: 'KtrdrError', code, message, details: { operationId: info.operation_id } });
}
