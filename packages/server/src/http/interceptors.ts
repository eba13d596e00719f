import type { IncomingMessage, ServerResponse } from 'node:http';

/** Behaviour every request of a server gets, on the bare exchange: it calls `next` to go on. */
export type Interceptor = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** One request listener: `interceptors` in order, then `handler`. */
export function intercepted(
  interceptors: readonly Interceptor[],
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return interceptors.reduceRight<(req: IncomingMessage, res: ServerResponse) => void>(
    (next, interceptor) => (req, res) => interceptor(req, res, () => next(req, res)),
    handler,
  );
}
