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

let holders = 0;
let keepAliveTimer: ReturnType<typeof setInterval> | undefined;

/**
 * Keeps the process alive until the returned release function is called (idempotent). The
 * transport's timers are unref'd (see {@link systemClock}), so during a reconnect backoff or a
 * pacing wait nothing else may hold the event loop: a pending load would then end with the process
 * exiting 0 and its promise never settling. Every pending operation holds one of these.
 * One ref'd timer serves every holder, so holding is cheap.
 */
export function holdProcessOpen(): () => void {
  holders += 1;
  // An interval long enough to never fire in practice; it exists only to be ref'd.
  keepAliveTimer ??= setInterval(() => undefined, 1 << 30);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0 && keepAliveTimer !== undefined) {
      clearInterval(keepAliveTimer);
      keepAliveTimer = undefined;
    }
  };
}
