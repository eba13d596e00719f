import type { ServiceRequest } from '../contract/implement-service';
import type { CallOptions, Transport } from './transport';

/** One call through a transport: what an {@link Interceptor} wraps. */
export type CallFn = (request: ServiceRequest, options: CallOptions) => Promise<unknown>;

/**
 * Cross-cutting behaviour around a transport's calls (connect-es style): takes the next call in the
 * chain and returns a call that does something before, after or instead of it. Retry policy,
 * statistics, logging and auth are each one interceptor, so every transport (http, in-process, ib)
 * gets them the same way, and each wraps a call once.
 */
export type Interceptor = (next: CallFn) => CallFn;

/**
 * `transport` with `interceptors` around its calls. The first interceptor is the outermost: it sees
 * the call first and its result last (the order connect-es applies them in). With none, the
 * transport itself is returned, so a chain costs nothing when it is empty.
 */
export function withInterceptors(transport: Transport, interceptors: readonly Interceptor[]): Transport {
  if (interceptors.length === 0) return transport;
  const inner: CallFn = (request, options) => transport.call(request, options);
  const call = interceptors.reduceRight<CallFn>((next, interceptor) => interceptor(next), inner);
  return {
    kind: transport.kind,
    serviceName: transport.serviceName,
    target: transport.target,
    counters: () => transport.counters(),
    close: () => transport.close(),
    call: (request, options = {}) => call(request, options),
  };
}
