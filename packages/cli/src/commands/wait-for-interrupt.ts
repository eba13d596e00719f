/** Resolves when `signal` aborts (Ctrl+C or SIGTERM in the bin): how foreground servers wait. */
export function waitForInterrupt(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
