import {
  CancelledError,
  DataUnavailableError,
  InternalError,
  type KtrdrError,
  NotFoundError,
  RateLimitedError,
  ServiceConnectionError,
  UnknownSymbolError,
  ValidationError,
} from '@ktrdr/core';

/** What an IB error or info message means for the transport. */
export type IbErrorKind =
  | 'pacing'
  | 'no-data'
  | 'cancelled'
  | 'invalid-request'
  | 'unknown-symbol'
  | 'query-not-found'
  | 'connectivity-lost'
  | 'connectivity-restored'
  | 'client-id-conflict'
  | 'not-connected'
  | 'protocol'
  | 'non-fatal'
  | 'other';

/**
 * The classification of one IB message:
 * - `request`: fails the request it names (`error`);
 * - `connection`: the connection is unusable; every pending request fails with `error`;
 * - `info`: log it and carry on (farm status, warnings, restored connectivity, client-id conflict,
 *   which the connection handles by moving to the next id).
 */
export type IbErrorClassification =
  | { scope: 'request'; kind: IbErrorKind; error: KtrdrError }
  | { scope: 'connection'; kind: IbErrorKind; error: ServiceConnectionError }
  | { scope: 'info'; kind: IbErrorKind };

/** One IB error or info message, with what we know about where it came from. */
export interface IbErrorInput {
  /** IB error code (162, 200, 1100, ...). */
  code: number;
  /** IB's message text. */
  message: string;
  /** Request id the message names; -1 (or less) for connection-level messages. */
  reqId: number;
  /** `host:port` of the gateway, named in connection errors. */
  endpoint: string;
  /** Short description of the request (`historical bars AAPL 1 min`), named in request errors. */
  request?: string;
  /** Wait suggested after a pacing violation, in milliseconds (IB gives none). Default 15 000. */
  pacingRetryAfterMs?: number;
}

/** Codes `@stoqey/ib` itself treats as non-fatal besides 2100-2999 and "Warning:" messages. */
const NON_FATAL_CODES: ReadonlySet<number> = new Set([399, 492, 10090, 10167]);

/** Historical-data errors that mean "no data", whatever the precise wording. */
const NO_DATA_CODES: ReadonlySet<number> = new Set([354, 10197, 10168]);

/**
 * The default wait after a pacing violation: IB does not say how long to wait, and 15 s is the
 * shortest wait that clears both the "identical request" and the "same contract in 2 s" rules.
 */
export const DEFAULT_PACING_RETRY_AFTER_MS = 15_000;

/**
 * A {@link ServiceConnectionError} that names the gateway and says what to check, for every way a
 * connection can fail (refused, dropped, silent, lost connectivity).
 */
export function ibConnectionError(
  endpoint: string,
  what: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): ServiceConnectionError {
  return new ServiceConnectionError(
    `${what} (IB Gateway/TWS at ${endpoint}). Check that IB Gateway or TWS is running, that its API is enabled ` +
      `(Configure > Settings > API > "Enable ActiveX and Socket Clients"), that 127.0.0.1 is a trusted IP, and that ` +
      `the port is right (Gateway 4002 paper / 4001 live, TWS 7497 paper / 7496 live).`,
    { details: { service: 'ib', endpoint, ...details }, cause },
  );
}

/**
 * Maps an IB error or info message onto ktrdr's error classes. Pure: the caller decides what to do
 * (fail one request, fail them all, or log), which keeps the mapping unit-testable in isolation.
 */
export function classifyIbError(input: IbErrorInput): IbErrorClassification {
  const { code, message, endpoint } = input;
  const subject = input.request === undefined ? `IB request ${input.reqId}` : `IB ${input.request}`;
  const details = { ibCode: code, ibMessage: message, reqId: input.reqId, endpoint };

  if (isNonFatal(code, message)) return { scope: 'info', kind: 'non-fatal' };

  switch (code) {
    case 162:
      return classifyHistoricalServiceError(input, subject, details);
    case 165: // "Historical Market Data Service query message": informational.
      return { scope: 'info', kind: 'non-fatal' };
    case 200:
      return request(
        'unknown-symbol',
        new UnknownSymbolError(
          `${subject} failed: IB has no security definition for it (${message}). Check the symbol and its ` +
            `instrument type (stock, forex as EUR.USD, future).`,
          { details: { ...details, field: 'symbol' } },
        ),
      );
    case 320:
    case 321:
    case 322:
      return request(
        'invalid-request',
        new ValidationError(`${subject} was rejected by IB as invalid: ${message}`, {
          details: { ...details, field: fieldOf(message) },
        }),
      );
    case 366:
      // IB answers 366 to a cancel of a query it already finished; the request is gone on our side
      // by then, so the caller ignores it. Only a pending request sees it as an error.
      return request(
        'query-not-found',
        new NotFoundError(`${subject}: IB no longer knows this query (${message}).`, { details }),
      );
    case 100:
    case 420:
      return request(
        'pacing',
        new RateLimitedError(`${subject} was throttled by IB (${message}).`, {
          details,
          retryAfterMs: input.pacingRetryAfterMs ?? DEFAULT_PACING_RETRY_AFTER_MS,
        }),
      );
    case 326:
      return { scope: 'info', kind: 'client-id-conflict' };
    case 1101:
    case 1102:
      return { scope: 'info', kind: 'connectivity-restored' };
    case 1100:
    case 1300:
      return connection(
        'connectivity-lost',
        ibConnectionError(
          endpoint,
          `IB Gateway/TWS lost its connection to IB's servers (${code}: ${message})`,
          {
            ibCode: code,
          },
        ),
      );
    case 502:
    case 503:
    case 506:
    case 507:
      return connection(
        'not-connected',
        ibConnectionError(endpoint, `Could not connect to IB (${code}: ${message})`, { ibCode: code }),
      );
    case 504:
      return connection(
        'not-connected',
        ibConnectionError(endpoint, `Not connected to IB (${code}: ${message})`, { ibCode: code }),
      );
    case 505:
      // A decoding problem in @stoqey/ib (unexpected fields): the stream stays aligned because
      // messages are length-prefixed, so log it loudly rather than dropping the connection.
      return { scope: 'info', kind: 'protocol' };
    default:
      if (NO_DATA_CODES.has(code)) {
        return request(
          'no-data',
          new DataUnavailableError(`${subject}: IB has no data for it (${code}: ${message}).`, { details }),
        );
      }
      if (input.reqId < 0) return { scope: 'info', kind: 'other' };
      return request(
        'other',
        new InternalError(`${subject} failed with IB error ${code}: ${message}`, { details }),
      );
  }
}

function classifyHistoricalServiceError(
  input: IbErrorInput,
  subject: string,
  details: Record<string, unknown>,
): IbErrorClassification {
  const text = input.message.toLowerCase();
  if (text.includes('pacing violation')) {
    return request(
      'pacing',
      new RateLimitedError(`${subject} hit an IB historical-data pacing violation.`, {
        details,
        retryAfterMs: input.pacingRetryAfterMs ?? DEFAULT_PACING_RETRY_AFTER_MS,
      }),
    );
  }
  if (text.includes('query cancelled') || text.includes('query canceled')) {
    return request(
      'cancelled',
      new CancelledError(`${subject} was cancelled by IB (${input.message}).`, { details }),
    );
  }
  if (text.includes('time length exceed')) {
    return request(
      'invalid-request',
      new ValidationError(
        `${subject} asks for too long a span for its bar size (${input.message}): request a shorter duration.`,
        { details: { ...details, field: 'duration' } },
      ),
    );
  }
  // "HMDS query returned no data", "No market data permissions", "No data of type ...": IB will
  // not give bars for this request, and asking again will not change that.
  return request(
    'no-data',
    new DataUnavailableError(`${subject}: IB has no data for it (${input.message}).`, { details }),
  );
}

function isNonFatal(code: number, message: string): boolean {
  if (code >= 2100 && code < 3000) return true;
  if (NON_FATAL_CODES.has(code)) return true;
  return message.includes('Warning:');
}

function fieldOf(message: string): string | undefined {
  const text = message.toLowerCase();
  if (text.includes('bar size')) return 'barSize';
  if (text.includes('duration')) return 'duration';
  if (text.includes('whattoshow') || text.includes('what to show')) return 'whatToShow';
  if (text.includes('end date') || text.includes('enddatetime')) return 'end';
  return undefined;
}

function request(kind: IbErrorKind, error: KtrdrError): IbErrorClassification {
  return { scope: 'request', kind, error };
}

function connection(kind: IbErrorKind, error: ServiceConnectionError): IbErrorClassification {
  return { scope: 'connection', kind, error };
}
