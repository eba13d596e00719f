import { CancelledError, KtrdrError, ServiceTimeoutError } from '../errors/index';

/**
 * The error an aborted signal stands for: its reason when that is already a ktrdr error (a
 * deadline we set ourselves), otherwise a {@link CancelledError}.
 * @internal
 */
export function abortError(signal: AbortSignal, what: string): KtrdrError {
  const reason: unknown = signal.reason;
  if (reason instanceof KtrdrError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new ServiceTimeoutError(`${what} timed out`, { cause: reason });
  }
  return new CancelledError(`${what} was cancelled`, reason === undefined ? {} : { cause: reason });
}

/**
 * A signal that aborts when any of `signals` does, or after `timeoutMs` with a
 * {@link ServiceTimeoutError} as its reason.
 * @internal
 */
export function linkedSignal(
  signals: (AbortSignal | undefined)[],
  timeout?: { ms: number; message: string; details?: Record<string, unknown> },
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  for (const s of live) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', onAbort, { once: true });
  }
  let timer: NodeJS.Timeout | undefined;
  if (timeout !== undefined && !controller.signal.aborted) {
    timer = setTimeout(
      () => controller.abort(new ServiceTimeoutError(timeout.message, { details: timeout.details ?? {} })),
      timeout.ms,
    );
    timer.unref?.();
  }
  return {
    signal: controller.signal,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Settles like `work`, or rejects as soon as `signal` aborts (with the abort's ktrdr error, or a
 * `CancelledError`). For waits on work the caller does not own — a lookup shared with other callers,
 * a handler that might ignore its signal — so the caller never hangs on it while the work goes on.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined); // observed by whoever else waits for it
    return Promise.reject(abortError(signal, what));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Waits `ms` milliseconds, rejecting early (with a `CancelledError`, or the signal's ktrdr error
 * reason) when `signal` aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, 'Wait'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!, 'Wait'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
