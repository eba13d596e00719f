// Default imports, called as `http.request` at call time: instrumentation (APM agents, msw in
// tests) patches the module objects, which named ESM bindings of built-ins would not see.
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** One attempt's answer: the response, and its body as text unless it was left to stream. @internal */
export interface NodeFetchResult {
  response: Response;
  /** The whole body, read before resolving; `undefined` when `streamBody` kept it as a stream. */
  text: string | undefined;
}

/** A keep-alive connection pool over Node's own `http`/`https`, which ky's attempts go through. @internal */
export interface NodeFetchPool {
  /**
   * Sends `request` (ky's, for its URL, method, headers and signal) with `body`, and resolves once
   * the answer is in: the whole body read, or, when `streamBody` says so for its head, at the head
   * with the body as a web stream. Failures reject as fetch's do (`TypeError('fetch failed')` with
   * the socket error as `cause`), or with the signal's reason once it aborted.
   */
  send(
    request: Request,
    body: string | undefined,
    streamBody: (status: number, contentType: string) => boolean,
  ): Promise<NodeFetchResult>;
  /** Closes every socket, busy ones included. */
  destroy(): void;
}

/** Options of {@link createNodeFetchPool}. @internal */
export interface NodeFetchPoolOptions {
  secure: boolean;
  /** Most sockets open at once. */
  connections: number;
  /** How long an idle socket is kept; a shorter `Keep-Alive: timeout=` hint of the server wins. */
  keepAliveTimeoutMs: number;
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function responseOf(message: IncomingMessage, body: ReadableStream<Uint8Array> | null): Response {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return new Response(body, {
    status: message.statusCode ?? 0,
    statusText: message.statusMessage ?? '',
    headers,
  });
}

function readText(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    message.on('error', reject);
    message.on('close', () => {
      if (!message.complete) reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }));
    });
  });
}

/**
 * Why ky's attempts go through Node's `http` rather than the global `fetch` (undici): on loopback,
 * fetch costs about twice the latency and three to four times the client CPU of `http` per call
 * (it builds its own WHATWG request, response, signal and web streams on top of ky's), and a call
 * to a host service is dominated by that overhead, not by the network (see bench/RESULTS.md,
 * transport). ky still drives every attempt: timeout, retries, `Retry-After`, hooks.
 * @internal
 */
export function createNodeFetchPool(options: NodeFetchPoolOptions): NodeFetchPool {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.connections,
    // For a free socket, the idle time after which it is closed (Node lets a shorter server hint win).
    timeout: options.keepAliveTimeoutMs,
    // The most recently used socket first: the others go idle and close, so a quiet pool shrinks.
    scheduling: 'lifo' as const,
  };
  const agent = options.secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const protocol = options.secure ? https : http;

  return {
    send(request, body, streamBody) {
      const signal = request.signal;
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      const url = new URL(request.url);
      const headers: OutgoingHttpHeaders = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
      return new Promise<NodeFetchResult>((resolve, reject) => {
        const req = protocol.request(
          {
            hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: url.port,
            path: url.pathname + url.search,
            method: request.method,
            headers,
            agent,
          },
          (message) => {
            // `Response` refuses some answers a server can send (status 600-999, a body on a 204):
            // those fail the attempt like a broken answer, never escape as an uncaught exception.
            try {
              if (streamBody(message.statusCode ?? 0, message.headers['content-type'] ?? '')) {
                const response = responseOf(message, Readable.toWeb(message) as ReadableStream<Uint8Array>);
                message.once('close', () => signal.removeEventListener('abort', onAbort));
                resolve({ response, text: undefined });
                return;
              }
            } catch (error) {
              message.destroy();
              fail(error);
              return;
            }
            readText(message)
              .then((text) => {
                signal.removeEventListener('abort', onAbort);
                resolve({ response: responseOf(message, null), text });
              })
              .catch(fail);
          },
        );
        const fail = (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(signal.aborted ? (signal.reason as Error) : fetchFailed(error));
        };
        // Destroying the request closes its socket: the server sees the caller leave and stops the work.
        const onAbort = () => req.destroy(fetchFailed(signal.reason));
        signal.addEventListener('abort', onAbort, { once: true });
        req.on('error', fail);
        req.end(body);
      });
    },
    destroy: () => agent.destroy(),
  };
}
