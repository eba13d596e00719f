import { CancelledError, RateLimitedError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { BarFrame } from '../src/domain/bar-frame';
import { CoalescedFetches } from '../src/host-service/coalesced-fetches';
import type {
  BarsRequest,
  HistoricalDataSource,
  SourceBars,
} from '../src/host-service/historical-data-source';

/** A source whose fetches end when the test says so. */
function controlledSource() {
  const calls: { request: BarsRequest; resolve: (bars: SourceBars) => void; reject: (e: Error) => void }[] =
    [];
  const source: HistoricalDataSource = {
    name: 'controlled',
    fetchBars: (request) =>
      new Promise<SourceBars>((resolve, reject) => {
        calls.push({ request, resolve, reject });
        request.signal?.addEventListener('abort', () => reject(new CancelledError('aborted')), {
          once: true,
        });
      }),
    getContractInfo: () => Promise.reject(new Error('unused')),
    getHeadTimestamp: () => Promise.resolve(undefined),
    health: () => Promise.resolve({ connected: true, connection_count: 1, simulated: true }),
    close: () => Promise.resolve(),
  };
  return { source, calls };
}

const REQUEST = { symbol: 'AAPL', timeframe: '1h' as const, start: 0, end: 3_600_000 };
const BARS: SourceBars = {
  frame: BarFrame.fromRows([{ time: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]),
  simulated: true,
};

function pendingIdOf(error: unknown): string {
  expect(error).toBeInstanceOf(RateLimitedError);
  const details = (error as RateLimitedError).details;
  expect(details).toMatchObject({ pending: true });
  return details['fetchId'] as string;
}

describe('CoalescedFetches', () => {
  it('answers "still waiting" past waitMs, keeps the fetch, and hands its bars to the caller who comes back', async () => {
    const { source, calls } = controlledSource();
    const fetches = new CoalescedFetches(source);
    const signal = new AbortController().signal;
    const first = await fetches.fetch(REQUEST, { signal, waitMs: 5 }).catch((e: unknown) => e);
    const fetchId = pendingIdOf(first);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.request.signal?.aborted).toBe(false);

    // The answer arrives while nobody waits: it is kept for the caller told to come back.
    calls[0]?.resolve(BARS);
    await Promise.resolve();
    expect(await fetches.fetch(REQUEST, { signal, waitMs: 5, fetchId })).toBe(BARS);
    // A later identical request is a new one, not a stale copy.
    void fetches.fetch(REQUEST, { signal }).catch(() => undefined);
    expect(calls).toHaveLength(2);
  });

  it('delivers a failure to the caller who comes back, and never to a new caller', async () => {
    const { source, calls } = controlledSource();
    const fetches = new CoalescedFetches(source);
    const signal = new AbortController().signal;
    const fetchId = pendingIdOf(await fetches.fetch(REQUEST, { signal, waitMs: 1 }).catch((e: unknown) => e));
    calls[0]?.reject(new Error('IB said no'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(fetches.fetch(REQUEST, { signal, fetchId })).rejects.toThrow('IB said no');
    void fetches.fetch(REQUEST, { signal }).catch(() => undefined);
    expect(calls).toHaveLength(2);
  });

  it('cancels the source fetch when every caller left, and abandons one nobody came back for', async () => {
    const { source, calls } = controlledSource();
    const fetches = new CoalescedFetches(source, { abandonMs: 10 });
    const caller = new AbortController();
    const left = fetches.fetch(REQUEST, { signal: caller.signal }).catch((e: unknown) => e);
    caller.abort(new CancelledError('client disconnected'));
    expect(await left).toBeInstanceOf(CancelledError);
    expect(calls[0]?.request.signal?.aborted).toBe(true);
    expect(fetches.size).toBe(0);

    const signal = new AbortController().signal;
    pendingIdOf(await fetches.fetch(REQUEST, { signal, waitMs: 1 }).catch((e: unknown) => e));
    expect(calls[1]?.request.signal?.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls[1]?.request.signal?.aborted).toBe(true);
  });
});
