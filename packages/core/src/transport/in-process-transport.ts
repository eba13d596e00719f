import type { ServiceImplementation } from '../contract/implement-service';
import { fromSearchParams, toSearchParams } from '../contract/query';
import { ServiceConnectionError, toKtrdrError } from '../errors/index';
import { abortError, linkedSignal, raceAbort } from '../internal/abort';
import type { CallOptions, Transport, TransportCounters } from './transport';

/** Options of {@link createInProcessTransport}. */
export interface InProcessTransportOptions {
  /** Default per-call timeout in milliseconds (none by default, like a local function call). */
  timeoutMs?: number;
  /** Reported as `kind` (default `in-process`); e.g. `ib` when the routes talk to IB directly. */
  kind?: string;
}

/**
 * A transport that dispatches to a service implementation in this process: no sockets, but the same
 * route matching, validation, errors, cancellation and timeouts as the HTTP transport.
 */
export function createInProcessTransport(
  implementation: ServiceImplementation,
  options: InProcessTransportOptions = {},
): Transport {
  const serviceName = implementation.contract.name;
  const counters: TransportCounters = { bytesSent: 0, bytesReceived: 0, attempts: 0, retries: 0 };
  let closed = false;
  return {
    kind: options.kind ?? 'in-process',
    serviceName,
    target: 'in-process',
    counters: () => ({ ...counters }),
    async call(request, callOptions: CallOptions = {}) {
      if (closed) {
        throw new ServiceConnectionError(`${serviceName} (in-process) transport is closed`, {
          details: { service: serviceName },
        });
      }
      counters.attempts++;
      // One attempt here, so the tighter of the attempt timeout and the deadline bounds it.
      const limits = [callOptions.timeoutMs ?? options.timeoutMs, callOptions.deadlineMs].filter(
        (ms): ms is number => ms !== undefined,
      );
      const timeoutMs = limits.length === 0 ? undefined : Math.min(...limits);
      const what = `${serviceName} ${request.method} ${request.path}`;
      const linked = linkedSignal(
        [callOptions.signal],
        timeoutMs === undefined
          ? undefined
          : {
              ms: timeoutMs,
              message: `${what} timed out after ${timeoutMs} ms`,
              details: { service: serviceName, timeoutMs },
            },
      );
      try {
        // Like HTTP, which sends nothing once the signal is aborted: the handler never starts.
        if (linked.signal.aborted) throw abortError(linked.signal, what);
        // Bodies and queries cross a wire over HTTP; doing the same here keeps both transports
        // identical (a Date becomes its ISO string, undefined fields vanish, a one-element query
        // array arrives as a string).
        const body =
          request.body === undefined ? undefined : (JSON.parse(JSON.stringify(request.body)) as unknown);
        const query =
          request.query === undefined ? undefined : fromSearchParams(toSearchParams(request.query));
        const work = implementation.handle(
          { ...request, body, query },
          {
            signal: linked.signal,
            transport: 'in-process',
            reportProgress: (progress) => callOptions.onProgress?.(progress),
          },
        );
        // A handler that ignores its signal must not keep the caller waiting.
        return await raceAbort(work, linked.signal, what);
      } catch (error) {
        throw toKtrdrError(error, what);
      } finally {
        linked.dispose();
      }
    },
    async close() {
      closed = true;
    },
  };
}
