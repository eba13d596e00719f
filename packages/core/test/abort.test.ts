import { describe, expect, it } from 'vitest';
import { CancelledError, ServiceTimeoutError, sleep } from '@ktrdr/core';
import { abortError, linkedSignal, raceAbort } from '../src/internal/abort';

describe('abort helpers', () => {
  it('sleep resolves, or rejects as soon as its signal aborts', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    await expect(sleep(1, AbortSignal.abort())).rejects.toBeInstanceOf(CancelledError);
  });

  it('turns an abort reason into the error it stands for', () => {
    const controller = new AbortController();
    const deadline = new ServiceTimeoutError('deadline');
    controller.abort(deadline);
    expect(abortError(controller.signal, 'x')).toBe(deadline);
    expect(abortError(AbortSignal.abort(new DOMException('t', 'TimeoutError')), 'Load')).toMatchObject({
      code: 'timeout',
      message: 'Load timed out',
    });
    const cancelled = abortError(AbortSignal.abort('stop'), 'Load');
    expect(cancelled).toMatchObject({ code: 'cancelled', message: 'Load was cancelled', cause: 'stop' });
  });

  it('links signals: the first abort wins, and an already aborted one aborts at once', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkedSignal([a.signal, undefined, b.signal]);
    b.abort('b first');
    a.abort('a later');
    expect(linked.signal.reason).toBe('b first');
    linked.dispose();
    expect(linkedSignal([AbortSignal.abort('early')], { ms: 10, message: 'x' }).signal.reason).toBe('early');
  });

  it('stops listening once disposed', () => {
    const a = new AbortController();
    const linked = linkedSignal([a.signal], { ms: 60_000, message: 'never' });
    linked.dispose();
    a.abort();
    expect(linked.signal.aborted).toBe(false);
  });

  it('aborts with a ServiceTimeoutError after its timeout', async () => {
    const linked = linkedSignal([], { ms: 5, message: 'too slow', details: { what: 'x' } });
    await new Promise((resolve) => linked.signal.addEventListener('abort', resolve));
    expect(linked.signal.reason).toBeInstanceOf(ServiceTimeoutError);
    expect(linked.signal.reason).toMatchObject({ message: 'too slow', details: { what: 'x' } });
  });

  it('races work against a signal, passing results and failures through', async () => {
    const never = new AbortController().signal;
    await expect(raceAbort(Promise.resolve(1), never, 'x')).resolves.toBe(1);
    await expect(raceAbort(Promise.reject(new Error('no')), never, 'x')).rejects.toThrow('no');
    await expect(raceAbort(new Promise(() => undefined), AbortSignal.abort(), 'x')).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});
