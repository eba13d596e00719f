import { createPathRedactor } from '../http/redact-paths';

/** Options of {@link installShutdownHandlers}. */
export interface ShutdownHandlerOptions {
  /** Signals that start a graceful shutdown (default SIGTERM and SIGINT). */
  signals?: readonly NodeJS.Signals[];
  /**
   * Exit by force if the graceful shutdown has not finished after this long, ms (default 15 s: a
   * little more than the server's own 10 s bound, so its bound normally decides).
   */
  forceAfterMs?: number;
  /** Ends the process (default `process.exit`); tests pass a spy. */
  exit?: (code: number) => void;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
}

/**
 * Makes SIGTERM/SIGINT shut `server` down gracefully and exit 0. A second signal, a failed
 * shutdown, or one that outlives `forceAfterMs` exits 1 at once. Returns a function that removes the
 * handlers. The bins install this; an app embedding the routers keeps its own signal handling.
 */
export function installShutdownHandlers(
  server: { close(): Promise<void> },
  options: ShutdownHandlerOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const write = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // A failed shutdown's message may name a file: logs carry no absolute server path either.
  const redact = createPathRedactor();
  const log = (line: string) => write(redact(line));
  const forceAfterMs = options.forceAfterMs ?? 15_000;
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log(`${signal} received again: exiting now.`);
      return exit(1);
    }
    shuttingDown = true;
    log(`${signal} received: shutting down (cancelling running work, closing connections)...`);
    const force = setTimeout(() => {
      log(`Shutdown did not finish within ${forceAfterMs} ms: exiting by force.`);
      exit(1);
    }, forceAfterMs);
    force.unref();
    server.close().then(
      () => {
        clearTimeout(force);
        log('Shut down cleanly.');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(force);
        log(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
