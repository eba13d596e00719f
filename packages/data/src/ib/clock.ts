/**
 * The time source of the IB transport. Injected so the pacing scheduler and backoff logic can be
 * tested with a fake clock: deterministic, no real waiting, no timing assertions.
 */
export interface Clock {
  /** Milliseconds on a monotonic-enough scale; only differences matter. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a pending {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock. Timers are `unref`ed: a pending backoff or pacing wait alone must not keep a
 * process alive once everything else is done (the socket keeps it alive while work is pending).
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
