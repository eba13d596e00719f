import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { PathRedactor } from './redact-paths';

// Bodies that are data, not messages: bar downloads are left byte-for-byte (and keep their length).
const DATA_BODY = /\b(?:text\/csv|application\/octet-stream)\b/i;

type Chunk = string | Uint8Array;

/**
 * Express middleware that rewrites every textual answer of the routes behind it through `redact`:
 * JSON bodies, NDJSON progress frames and server-sent events alike. Errors are built deep in the
 * SDK (a store's "not found" names its file, a model store its folder) and operation records carry
 * them on, so the answer is the one place every message crosses before it leaves the machine.
 */
export function redactAnswers(redact: PathRedactor): RequestHandler {
  return (_req, res, next) => {
    const { writeHead, write, end } = res;
    let contentType: string | undefined;
    const isData = () => DATA_BODY.test(contentType ?? String(res.getHeader('content-type') ?? ''));
    const scrub = (chunk: unknown): unknown => {
      if (isData()) return chunk;
      if (typeof chunk === 'string') return redact(chunk);
      if (chunk instanceof Uint8Array) {
        // No slash or backslash, no path: skip decoding a large answer (bars) at all.
        if (!chunk.includes(0x2f) && !chunk.includes(0x5c)) return chunk;
        const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
        const redacted = redact(text);
        return redacted === text ? chunk : Buffer.from(redacted, 'utf8');
      }
      return chunk;
    };
    // writeHead's headers object may never reach getHeader(): note its content type here.
    res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
      const headers = rest.find((arg): arg is OutgoingHttpHeaders => typeof arg === 'object' && arg !== null);
      const type = headers?.['content-type'] ?? headers?.['Content-Type'];
      if (type !== undefined) contentType = String(type);
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
    } as typeof res.writeHead;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      return (write as (...args: unknown[]) => boolean).call(this, scrub(chunk), ...rest);
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk === 'function' || chunk === undefined) {
        return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
      }
      const scrubbed = scrub(chunk) as Chunk;
      // res.json()/res.send() set Content-Length before calling end: keep it true to the new body.
      if (scrubbed !== chunk && !this.headersSent && this.getHeader('content-length') !== undefined) {
        this.setHeader('content-length', Buffer.byteLength(scrubbed));
      }
      return (end as (...args: unknown[]) => ServerResponse).call(this, scrubbed, ...rest);
    } as typeof res.end;
    next();
  };
}
