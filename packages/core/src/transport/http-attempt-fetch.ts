import type { Input } from 'ky';
import { NDJSON_CONTENT_TYPE } from '../http/ndjson';
import type { NodeFetchPool } from './http-node-fetch';
import type { TransportCounters } from './transport';

/** A 2xx progress stream is read as it arrives; every other answer is read whole. */
const isStreamed = (status: number, contentType: string) =>
  status >= 200 && status < 300 && contentType.includes(NDJSON_CONTENT_TYPE);

/**
 * What ky calls in place of `fetch` for each attempt of one call (ky's `fetch` option). It sends
 * the attempt over the transport's own keep-alive pool, and does two things plain fetch would not:
 *
 * - It attaches the call's body, as the string it is. ky builds its `Request` without a body and
 *   clones that request before every attempt; with a body, each clone would tee a stream.
 * - It reads a plain answer's body before resolving, so that ky's per-attempt timeout covers the
 *   whole answer (not just its head), the socket goes back to the pool before the next attempt or
 *   call, and the bytes are counted. A progress stream resolves at its head: once it has
 *   started, only the total deadline and the caller's signal bound it.
 * @internal
 */
export class AttemptFetch {
  /** Body of the last attempt's answer, unless that answer is a progress stream. */
  text: string | undefined;
  readonly #body: string | undefined;
  readonly #bodyBytes: number;
  readonly #counters: TransportCounters;
  readonly #pool: NodeFetchPool;

  constructor(body: string | undefined, counters: TransportCounters, pool: NodeFetchPool) {
    this.#body = body;
    this.#bodyBytes = body === undefined ? 0 : Buffer.byteLength(body);
    this.#counters = counters;
    this.#pool = pool;
  }

  readonly fetch = async (input: Input): Promise<Response> => {
    this.text = undefined;
    this.#counters.bytesSent += this.#bodyBytes;
    // ky hands every attempt a `Request` (its own, cloned per attempt).
    const { response, text } = await this.#pool.send(input as Request, this.#body, isStreamed);
    if (text !== undefined) {
      this.#counters.bytesReceived += Buffer.byteLength(text);
      this.text = text;
    }
    return response;
  };
}
