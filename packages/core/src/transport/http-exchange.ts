// Default imports, called as `http.request` at call time: instrumentation (APM agents, msw in
// tests) patches the module object, which named ESM bindings of built-ins would not see.
import http, {
  type Agent as HttpAgent,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import https from 'node:https';
import { ServiceConfigurationError } from '../errors/index';

/** Where a service lives, parsed once per transport. @internal */
export interface HttpTarget {
  /** The base URL without a trailing slash, for messages. */
  readonly baseUrl: string;
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: number | undefined;
  /** Path prefix of the base URL (`/api/v1`), or ''. */
  readonly basePath: string;
}

/**
 * Parses a service base URL. A bad one is a configuration mistake, reported when the transport is
 * built rather than on every call.
 * @internal
 */
export function parseTarget(baseUrl: string, serviceName: string, urlVariable?: string): HttpTarget {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    const variable = urlVariable ?? 'baseUrl';
    throw new ServiceConfigurationError(
      `Invalid URL ${JSON.stringify(baseUrl)} for ${serviceName} (${variable}): expected an absolute http:// or https:// URL, e.g. http://localhost:8001.`,
      { details: { variable, value: baseUrl, service: serviceName } },
    );
  }
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    secure: url.protocol === 'https:',
    // Node wants IPv6 literals without their brackets.
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? undefined : Number(url.port),
    basePath: url.pathname.replace(/\/+$/, ''),
  };
}

/** The keep-alive connection pool of one transport. @internal */
export function createPool(target: HttpTarget, connections: number, keepAliveTimeoutMs: number): HttpAgent {
  const options = {
    keepAlive: true,
    maxSockets: connections,
    timeout: keepAliveTimeoutMs,
    scheduling: 'lifo' as const,
  };
  return target.secure ? new https.Agent(options) : new http.Agent(options);
}

/** One HTTP request to send. @internal */
export interface OutgoingRequest {
  method: string;
  /** Path and query, relative to the host. */
  path: string;
  headers: OutgoingHttpHeaders;
  body: string | undefined;
}

/** Why an exchange was stopped before it finished. @internal */
export type StopCause = 'timeout' | 'aborted';

/** One request and its response, stoppable by a timer or a signal. @internal */
export interface Exchange {
  /** Resolves with the response head; the body is the caller's to read. */
  readonly response: Promise<IncomingMessage>;
  /** Why the exchange was stopped, if it was: then whatever error the caller saw stems from that. */
  stopped(): StopCause | undefined;
  /** Stops the per-attempt timer (a progress stream may outlive it); the signal still applies. */
  disarmTimer(): void;
  /** Clears the timer and the abort listener once the caller is done with the response. */
  done(): void;
}

/**
 * Sends one request over the pool. After `timeoutMs`, or when `signal` aborts, the request (and so
 * its socket) is destroyed: the server sees the client leave and stops the work. A plain timer and
 * one listener are all this costs, which matters on a path measured in microseconds.
 * @internal
 */
export function startExchange(
  target: HttpTarget,
  agent: HttpAgent,
  request: OutgoingRequest,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Exchange {
  let cause: StopCause | undefined;
  let req: ClientRequest | undefined;
  const stop = (why: StopCause) => {
    cause ??= why;
    req?.destroy(new Error(`request ${why}`));
  };
  const onAbort = () => stop('aborted');
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req = (target.secure ? https : http).request(
      {
        hostname: target.hostname,
        port: target.port,
        path: request.path,
        method: request.method,
        headers: request.headers,
        agent,
      },
      resolve,
    );
    req.on('error', reject);
    if (signal?.aborted === true) stop('aborted');
    else req.end(request.body);
  });
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    response,
    stopped: () => cause,
    disarmTimer: () => clearTimeout(timer),
    done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Reads a whole response body as text; rejects when the connection breaks before its end. @internal */
export function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }));
    });
  });
}
