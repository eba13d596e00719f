/**
 * Exit codes of `ktrdr`, documented in the package README. Scripts branch on these, so they only
 * ever gain members.
 */
export const EXIT_CODES = Object.freeze({
  /** The command did what it was asked. */
  ok: 0,
  /** It failed: an operation failed, an unexpected error, anything not listed below. */
  error: 1,
  /** Bad usage or input: unknown command or option, bad timeframe, date, symbol or configuration. */
  usage: 2,
  /** What was asked for does not exist: no stored data, unknown symbol, operation or model. */
  notFound: 3,
  /** A service could not be used: IB Gateway, a host service or the API unreachable, timed out or failing. */
  unavailable: 4,
  /** Interrupted with Ctrl+C (SIGINT); a running operation was cancelled first. */
  interrupted: 130,
  /** Stopped with SIGTERM (128 + 15, as the shell reports it); a running operation was cancelled first. */
  terminated: 143,
});

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const BY_ERROR_CODE: Readonly<Record<string, ExitCode>> = {
  validation: EXIT_CODES.usage,
  configuration: EXIT_CODES.usage,
  payload_too_large: EXIT_CODES.usage,
  not_found: EXIT_CODES.notFound,
  unknown_symbol: EXIT_CODES.notFound,
  data_unavailable: EXIT_CODES.notFound,
  connection_failed: EXIT_CODES.unavailable,
  timeout: EXIT_CODES.unavailable,
  host_service: EXIT_CODES.unavailable,
  unauthorized: EXIT_CODES.unavailable,
};

/**
 * The exit code after `interrupt` aborted: 143 when the bin got SIGTERM (its abort reason names the
 * signal), 130 for Ctrl+C and anything else.
 */
export function interruptExitCode(interrupt: AbortSignal): ExitCode {
  const reason: unknown = interrupt.reason;
  return reason instanceof Error && /\bSIGTERM\b/.test(reason.message)
    ? EXIT_CODES.terminated
    : EXIT_CODES.interrupted;
}

/**
 * The one rule for how every command exits after an interrupt: a command reports "interrupted" with
 * {@link EXIT_CODES.interrupted} (or `terminated`), and `runCli` turns either into the code of the
 * signal that aborted `interrupt` (143 for SIGTERM, 130 for Ctrl+C), so no command decides it alone.
 */
export function settleExitCode(code: number, interrupt: AbortSignal): number {
  const interruptCode = code === EXIT_CODES.interrupted || code === EXIT_CODES.terminated;
  return interrupt.aborted && interruptCode ? interruptExitCode(interrupt) : code;
}

/** The exit code for a ktrdr error code (`KtrdrError.code`, or an operation's `error_code`). */
export function exitCodeForErrorCode(code: string | undefined, interrupted: boolean): ExitCode {
  if (code === 'cancelled') return interrupted ? EXIT_CODES.interrupted : EXIT_CODES.error;
  return (code === undefined ? undefined : BY_ERROR_CODE[code]) ?? EXIT_CODES.error;
}
