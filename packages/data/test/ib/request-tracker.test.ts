import { CancelledError, ServiceConnectionError, ServiceTimeoutError } from '@ktrdr/core';
import { describe, expect, it, vi } from 'vitest';
import { RequestTracker, type TrackOptions } from '../../src/ib/request-tracker';
import { FakeClock } from './fake-clock';

function setup() {
  const clock = new FakeClock();
  const tracker = new RequestTracker(clock, '127.0.0.1:4002');
  const onCancel = vi.fn();
  const onTimeout = vi.fn();
  const track = (extra: Partial<TrackOptions<string[]>> = {}) => {
    const times: string[] = [];
    const handle = tracker.track<string[]>({
      kind: 'historical',
      description: 'historical bars AAPL',
      timeoutMs: 1_000,
      onCancel,
      onTimeout,
      onEvent: (event, controls) => {
        if (event.type === 'historicalBar') times.push(event.time);
        if (event.type === 'historicalEnd') controls.resolve(times);
      },
      ...extra,
    });
    handle.promise.catch(() => undefined);
    return handle;
  };
  return { clock, tracker, track, onCancel, onTimeout };
}

const bar = (time: string) =>
  ({ type: 'historicalBar', time, open: 1, high: 1, low: 1, close: 1, volume: 1 }) as const;

describe('RequestTracker', () => {
  it('correlates replies by request id', async () => {
    const { tracker, track } = setup();
    const a = track();
    const b = track();
    expect(b.reqId).toBeGreaterThan(a.reqId);
    tracker.dispatch(b.reqId, bar('b1'));
    tracker.dispatch(a.reqId, bar('a1'));
    tracker.dispatch(a.reqId, { type: 'historicalEnd' });
    tracker.dispatch(b.reqId, { type: 'historicalEnd' });
    await expect(a.promise).resolves.toEqual(['a1']);
    await expect(b.promise).resolves.toEqual(['b1']);
    expect(tracker.size).toBe(0);
  });

  it('times out with ServiceTimeoutError naming the gateway, and cancels at IB', async () => {
    const { clock, track, onCancel, onTimeout } = setup();
    const { reqId, promise } = track();
    await clock.advance(1_000);
    await expect(promise).rejects.toBeInstanceOf(ServiceTimeoutError);
    await expect(promise).rejects.toThrow(/127\.0\.0\.1:4002/);
    expect(onCancel).toHaveBeenCalledWith(reqId, 'timeout');
    expect(onTimeout).toHaveBeenCalledWith(reqId);
  });

  it('cancels with CancelledError when the signal aborts, and cancels at IB', async () => {
    const { track, onCancel, tracker } = setup();
    const controller = new AbortController();
    const { reqId, promise } = track({ signal: controller.signal });
    controller.abort();
    await expect(promise).rejects.toBeInstanceOf(CancelledError);
    expect(onCancel).toHaveBeenCalledWith(reqId, 'abort');
    expect(tracker.has(reqId)).toBe(false);
  });

  it('does not register or cancel a request whose signal was already aborted', async () => {
    const { track, onCancel, tracker } = setup();
    const { reqId, promise } = track({ signal: AbortSignal.abort() });
    await expect(promise).rejects.toBeInstanceOf(CancelledError);
    expect(tracker.has(reqId)).toBe(false);
    expect(onCancel).not.toHaveBeenCalled();
  });

  it('ignores late replies for finished requests', async () => {
    const { clock, tracker, track } = setup();
    const { reqId, promise } = track();
    await clock.advance(1_000);
    await expect(promise).rejects.toBeInstanceOf(ServiceTimeoutError);
    expect(tracker.dispatch(reqId, bar('late'))).toBe(false);
    expect(tracker.dispatch(reqId, { type: 'historicalEnd' })).toBe(false);
    expect(tracker.fail(reqId, new Error('late error'))).toBe(false);
  });

  it('rejects every pending request at once', async () => {
    const { tracker, track, clock } = setup();
    const all = [track(), track(), track()];
    const error = new ServiceConnectionError('dropped');
    expect(tracker.rejectAll(error)).toBe(3);
    for (const { promise } of all) await expect(promise).rejects.toBe(error);
    expect(tracker.size).toBe(0);
    // No timer is left to fire later.
    await clock.advance(10_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('broadcasts id-less replies to every request of a kind', async () => {
    const { tracker } = setup();
    const make = () =>
      tracker.track<number>({
        kind: 'currentTime',
        description: 'current time',
        timeoutMs: 1_000,
        onEvent: (event, controls) => {
          if (event.type === 'currentTime') controls.resolve(event.epochSeconds);
        },
      });
    const a = make();
    const b = make();
    expect(tracker.broadcast('currentTime', { type: 'currentTime', epochSeconds: 5 })).toBe(2);
    await expect(a.promise).resolves.toBe(5);
    await expect(b.promise).resolves.toBe(5);
  });

  it('reports pending-count changes', () => {
    const { tracker, track } = setup();
    const sizes: number[] = [];
    tracker.onSizeChange((n) => sizes.push(n));
    const { reqId } = track();
    tracker.fail(reqId, new Error('x'));
    expect(sizes).toEqual([1, 0]);
  });
});
