import type { AnyOperationSummary, TypedOperationInfo } from '@ktrdr/client';
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
export interface FollowResult<S = AnyOperationSummary> {
  /** The operation's last snapshot, its `result_summary` typed by the kind of operation. */
  info: TypedOperationInfo<S>;
  /** Ctrl+C was pressed. */
  interrupted: boolean;
}

/** How long a cancelled operation may take to stop before the command gives up waiting. */
const CANCEL_GRACE_MS = 15_000;

/**
 * Follows an operation to its end through the client's handle, showing its progress. Ctrl+C cancels
 * it (in-process or over HTTP alike) and waits for it to stop, so no load is left half-written
 * behind the user's back; a second Ctrl+C quits at once (the bin's job). Waiting, following and
 * cancelling are the handle's; this only renders and decides what Ctrl+C means.
 */
export async function followOperation<S = AnyOperationSummary>(
  context: CliContext,
  session: CliSession,
  options: FollowOptions,
): Promise<FollowResult<S>> {
  const id = options.operationId;
  const handle = session.client.operations.handle<S>(id);
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
    handle.cancel('Interrupted by the user (Ctrl+C)').catch(() => {
      // Already finished, or the API went away: the wait below tells which.
    });
  };
  if (context.interrupt.aborted) onInterrupt();
  else context.interrupt.addEventListener('abort', onInterrupt, { once: true });
  try {
    const info = await handle.wait({
      signal: waiting.signal,
      onProgress:
        reporter === undefined ? undefined : (progress) => reporter.update(progress as ProgressUpdate),
    });
    return { info, interrupted };
  } catch (error) {
    if (!interrupted) throw error;
    // Detached, or the operation did not stop within the grace period: report what is known.
    const latest = await handle.status().catch(() => undefined);
    if (latest === undefined) throw error;
    return { info: latest, interrupted };
  } finally {
    clearTimeout(grace);
    context.interrupt.removeEventListener('abort', onInterrupt);
    reporter?.finish();
  }
}

/**
 * The error a failed operation ended with, as the class its code names (for the exit code): the
 * client's own mapping, from its zod-free subpath that the bin bundles.
 */
export { operationError } from '@ktrdr/client/errors';
