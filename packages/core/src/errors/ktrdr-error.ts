import { type ErrorCode, HTTP_STATUS_BY_CODE } from './codes';

/**
 * Brand every ktrdr error carries. `Symbol.for` is shared across realms and across the ESM and CJS
 * builds of this package, so `instanceof` and {@link isKtrdrError} work even when two copies of
 * `@ktrdr/core` are loaded in one process.
 */
const LINEAGE = Symbol.for('ktrdr.error.lineage');

/** The JSON form of a ktrdr error, as sent over HTTP in `{ success: false, error }`. */
export interface SerializedKtrdrError {
  /** Class name, informative only: the `code` decides which class is rebuilt. */
  name: string;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** Only for `rate_limited`. */
  retryAfterMs?: number;
  /** Only for `host_service`: the status the host service answered with. */
  status?: number;
  /** The message chain of the causes, outermost first. */
  causes?: string[];
}

/** Options every ktrdr error accepts. */
export interface KtrdrErrorOptions {
  /** Structured facts about the failure (service, url, field...), safe to serialise. */
  details?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The base of every error ktrdr raises. Each carries one code from a closed set, structured
 * `details`, and an optional `cause`; it serialises with {@link KtrdrError.toJSON} and is rebuilt as
 * the same class on the other side of HTTP by `errorFromJSON`.
 */
export class KtrdrError extends Error {
  /** Default code of instances of this class. */
  static readonly code: ErrorCode = 'internal';

  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  /** @internal */
  readonly [LINEAGE]: readonly string[];

  constructor(message: string, options: KtrdrErrorOptions & { code?: ErrorCode } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const ctor = new.target as typeof KtrdrError;
    this.name = ctor.name;
    this.code = options.code ?? ctor.code;
    this.details = options.details ?? {};
    this[LINEAGE] = lineageOf(ctor);
  }

  /** HTTP status a server answers with for this error. */
  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  /**
   * `instanceof` by lineage rather than prototype identity, so an error thrown by the CJS build is
   * still `instanceof` the ESM build's class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const lineage = (value as { [LINEAGE]?: unknown })[LINEAGE];
    return Array.isArray(lineage) && lineage.includes(this.name);
  }

  /** The JSON form sent over HTTP. */
  toJSON(): SerializedKtrdrError {
    const json: SerializedKtrdrError = { name: this.name, code: this.code, message: this.message };
    if (Object.keys(this.details).length > 0) json.details = this.details;
    const causes = causeMessages(this.cause);
    if (causes.length > 0) json.causes = causes;
    return json;
  }
}

function lineageOf(ctor: typeof KtrdrError): string[] {
  const names: string[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
    names.push((c as { name: string }).name);
  }
  return names;
}

function causeMessages(cause: unknown): string[] {
  const messages: string[] = [];
  for (let c = cause, depth = 0; c !== undefined && c !== null && depth < 5; depth++) {
    messages.push(c instanceof Error ? c.message : String(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  return messages;
}

/** True for any ktrdr error, whichever build or copy of `@ktrdr/core` created it. */
export function isKtrdrError(value: unknown): value is KtrdrError {
  return value instanceof KtrdrError;
}
