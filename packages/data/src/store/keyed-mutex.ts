/**
 * An in-process async mutex per key: `run(key, fn)` calls run one at a time per key, in call order,
 * while different keys proceed in parallel. Keys left idle are forgotten, so the map does not grow.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier `run` with the same key has settled; resolves or rejects as `fn` does. */
  async run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release = (): void => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The tail never rejects, so one failing holder cannot break the chain for the next.
    const tail = previous.then(() => done);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** True while a call holds or waits for `key`. */
  isLocked(key: string): boolean {
    return this.#tails.has(key);
  }
}

/**
 * The process-wide lock table for stored series, keyed by absolute CSV path: every store instance
 * shares it, so two stores on one folder still serialise their writes to a file.
 */
export const seriesLocks = new KeyedMutex();
