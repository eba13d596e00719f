import { raceAbort } from '@ktrdr/core';

/**
 * At most `size` calls at once; the others wait their turn, in order. The wait is the caller's own
 * queue, so it happens before a call starts its deadline: a call never times out waiting for a turn.
 * @internal
 */
export class CallSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  /** Runs `work` once a slot is free (or rejects when `signal` aborts first), then frees the slot. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    let turn!: () => void;
    const granted = new Promise<void>((resolve) => (turn = resolve));
    this.waiting.push(turn);
    return raceAbort(granted, signal, 'Waiting for a free call slot').catch((error: unknown) => {
      const index = this.waiting.indexOf(turn);
      // Still queued: leave the queue. Already granted in the same tick: hand the slot on.
      if (index >= 0) this.waiting.splice(index, 1);
      else void granted.then(() => this.release());
      throw error;
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free++;
    else next();
  }
}
