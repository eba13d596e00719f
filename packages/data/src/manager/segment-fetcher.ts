import type { KtrdrError } from '@ktrdr/core';
import { CancelledError, DataUnavailableError, RateLimitedError, sleep, toKtrdrError } from '@ktrdr/core';
import type { TimeRange } from '../gaps/gap-types';

/** Options of {@link fetchSegments}. */
export interface FetchSegmentsOptions<T> {
  segments: readonly TimeRange[];
  /** Fetches and stores one segment; resolves with what to count. */
  fetchOne: (segment: TimeRange, signal: AbortSignal) => Promise<T>;
  /** Segments in flight at once (the IB pacing scheduler further below enforces IB's rules). */
  concurrency: number;
  /** Attempts per segment (default 3, the Python system's). */
  attempts: number;
  /** First retry delay in ms, doubled each attempt. */
  retryBaseMs: number;
  signal?: AbortSignal | undefined;
  /**
   * A final failure (retries spent) for which this returns true stops the load: segments in flight
   * are aborted and segments not yet started are not tried; all end with that error. Used for a
   * lost gateway, where trying every remaining segment would only stretch the time until the load
   * reports it.
   */
  stopWhen?: (error: KtrdrError) => boolean;
  onSegmentDone?: (segment: TimeRange, outcome: SegmentOutcome<T>) => void;
}

/** The outcome of one segment. */
export type SegmentOutcome<T> = { ok: true; value: T } | { ok: false; error: KtrdrError };

/**
 * Errors not retried here: those a retry cannot fix, and `rate_limited`, which the IB client has
 * already retried with growing pauses (its pacing-violation attempts): retrying it here too would
 * multiply the IB requests of one segment. Each kind of failure is retried by one layer only.
 */
function isPermanent(error: KtrdrError): boolean {
  return [
    'validation',
    'unknown_symbol',
    'not_found',
    'cancelled',
    'unauthorized',
    'configuration',
    'rate_limited',
  ].includes(error.code);
}

/**
 * Fetches segments concurrently, each retried with exponential backoff (honouring a rate limit's
 * retry-after), so one failing segment never costs the others. "No data" is an answer, not a failure.
 * Stops at the first cancellation.
 */
export async function fetchSegments<T>(
  options: FetchSegmentsOptions<T>,
): Promise<SegmentOutcome<T | undefined>[]> {
  const outcomes: SegmentOutcome<T | undefined>[] = new Array(options.segments.length);
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let next = 0;
  let stopped: KtrdrError | undefined;

  const runOne = async (segment: TimeRange): Promise<SegmentOutcome<T | undefined>> => {
    for (let attempt = 1; ; attempt++) {
      if (controller.signal.aborted) return { ok: false, error: toKtrdrError(controller.signal.reason) };
      try {
        return { ok: true, value: await options.fetchOne(segment, controller.signal) };
      } catch (caught) {
        const error = toKtrdrError(caught, 'Segment fetch failed');
        if (error instanceof DataUnavailableError) return { ok: true, value: undefined };
        // Stopped (see stopWhen): the stop's error, whatever the abort made of this one.
        if (stopped !== undefined) return { ok: false, error: stopped };
        if (controller.signal.aborted || isPermanent(error) || attempt >= options.attempts)
          return { ok: false, error };
        const backoff = options.retryBaseMs * 2 ** (attempt - 1);
        const wait = error instanceof RateLimitedError ? Math.max(backoff, error.retryAfterMs ?? 0) : backoff;
        try {
          await sleep(wait, controller.signal);
        } catch {
          return { ok: false, error: toKtrdrError(controller.signal.reason) };
        }
      }
    }
  };

  const worker = async () => {
    while (next < options.segments.length) {
      const index = next++;
      const segment = options.segments[index] as TimeRange;
      const outcome: SegmentOutcome<T | undefined> =
        stopped === undefined ? await runOne(segment) : { ok: false, error: stopped };
      outcomes[index] = outcome;
      if (!outcome.ok && stopped === undefined && options.stopWhen?.(outcome.error) === true) {
        stopped = outcome.error;
        // Segments in flight stop too (their requests are cancelled) and end with the same error:
        // each would otherwise wait out its own retries against the same lost service.
        controller.abort(stopped);
      }
      options.onSegmentDone?.(segment, outcome as SegmentOutcome<T>);
      if (!outcome.ok && outcome.error instanceof CancelledError) controller.abort(outcome.error);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.segments.length) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return outcomes;
}
