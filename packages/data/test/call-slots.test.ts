import { CancelledError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { CallSlots } from '../src/adapter/call-slots';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('CallSlots', () => {
  it('runs at most `size` calls at once, the others in order, and a cancelled waiter leaves the queue', async () => {
    const slots = new CallSlots(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const run = (i: number, signal?: AbortSignal) =>
      slots.run(async () => {
        started.push(i);
        await gates[i]?.opened;
        return i;
      }, signal);
    const cancel = new AbortController();
    const calls = [run(0), run(1), run(2, cancel.signal), run(3)];
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    cancel.abort(new CancelledError('not needed'));
    await expect(calls[2]).rejects.toBeInstanceOf(CancelledError);
    gates[0]?.open();
    expect(await calls[0]).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 3]);
    gates[1]?.open();
    gates[3]?.open();
    expect(await Promise.all([calls[1], calls[3]])).toEqual([1, 3]);
  });
});
