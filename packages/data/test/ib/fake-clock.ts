import type { Clock } from '../../src/ib/clock';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A deterministic clock for unit tests: time moves only through `advance`, which fires due timers
 * in time order and lets promise callbacks run between them.
 */
export class FakeClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const next = [...this.timers.values()]
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (next === undefined) break;
      this.timers.delete(next.id);
      this.time = next.at;
      next.fn();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/**
 * Lets queued promise callbacks and short `setImmediate` chains (the fake gateway answers through
 * them) run before time moves on.
 */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
