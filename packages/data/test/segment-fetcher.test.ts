import { CancelledError, ServiceConnectionError, ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import type { TimeRange } from '../src/gaps/gap-types';
import { fetchSegments } from '../src/manager/segment-fetcher';

const SEGMENTS: TimeRange[] = [0, 1, 2, 3, 4].map((i) => ({ start: i * 10, end: i * 10 + 10 }));
const lost = () => new ServiceConnectionError('gateway gone');

/** Resolves when `signal` aborts, rejecting with its reason the way an IB request does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason));
  });

describe('fetchSegments stopWhen', () => {
  it('stops the load at the first final failure it names: in-flight segments abort, the rest are not tried', async () => {
    const tried: number[] = [];
    const outcomes = await fetchSegments({
      segments: SEGMENTS,
      concurrency: 2,
      attempts: 2,
      retryBaseMs: 1,
      stopWhen: (error) => error.code === 'connection_failed',
      fetchOne: async (segment, signal) => {
        tried.push(segment.start);
        // Segment 0 fails for good; segment 1 hangs until the stop aborts it.
        if (segment.start === 0) throw lost();
        return untilAborted(signal);
      },
    });

    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(Array(5).fill('connection_failed'));
    expect(outcomes.every((o) => o.ok || o.error.message === 'gateway gone')).toBe(true);
    // Segment 0 twice (its retries), segment 1 once (aborted, not retried); 2-4 never.
    expect(tried.sort()).toEqual([0, 0, 10]);
  });

  it('does not stop for other failures, and a caller cancel stays a cancel', async () => {
    const outcomes = await fetchSegments({
      segments: SEGMENTS.slice(0, 3),
      concurrency: 1,
      attempts: 1,
      retryBaseMs: 1,
      stopWhen: (error) => error.code === 'connection_failed',
      fetchOne: async (segment) => {
        if (segment.start === 0) throw new ValidationError('bad segment');
        return segment.start;
      },
    });
    expect(outcomes.map((o) => (o.ok ? o.value : o.error.code))).toEqual(['validation', 10, 20]);

    const controller = new AbortController();
    const cancelled = await fetchSegments({
      segments: SEGMENTS.slice(0, 2),
      concurrency: 2,
      attempts: 3,
      retryBaseMs: 1,
      signal: controller.signal,
      stopWhen: (error) => error.code === 'connection_failed',
      fetchOne: async (_, signal) => {
        controller.abort(new CancelledError('enough'));
        return untilAborted(signal);
      },
    });
    expect(cancelled.every((o) => !o.ok && o.error instanceof CancelledError)).toBe(true);
  });
});
