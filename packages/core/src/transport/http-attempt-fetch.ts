import type { Input } from 'ky';
import { isProgressStream } from './http-response';
import type { TransportCounters } from './transport';

/**
 * What ky calls in place of `fetch` for each attempt of one call (ky's `fetch` option). It does
 * two things plain fetch would not:
 *
 * - It attaches the call's body, as the string it is. ky builds its `Request` without a body and
 *   clones that request before every attempt; with a body, each clone would tee a stream, and fetch
 *   would pipe the clone through another one. A bodiless clone is cheap, and fetch takes the string
 *   as it is (measured: 75-135 us less CPU per call, see bench/RESULTS.md).
 * - It reads a plain answer's body before resolving, so that ky's per-attempt timeout covers the
 *   whole answer (not just its head), the socket goes back to the pool before the next attempt or
 *   call, and the bytes are counted. A progress stream resolves at its head: once it has
 *   started, only the total deadline and the caller's signal bound it.
 *
 * `fetch` is looked up on every attempt rather than once: instrumentation (APM agents, msw in
 * tests) replaces the global.
 * @internal
 */
export class AttemptFetch {
  /** Body of the last attempt's answer, unless that answer is a progress stream. */
  text: string | undefined;
  readonly #body: string | undefined;
  readonly #bodyBytes: number;
  readonly #counters: TransportCounters;

  constructor(body: string | undefined, counters: TransportCounters) {
    this.#body = body;
    this.#bodyBytes = body === undefined ? 0 : Buffer.byteLength(body);
    this.#counters = counters;
  }

  readonly fetch = async (input: Input, init?: RequestInit): Promise<Response> => {
    this.text = undefined;
    this.#counters.bytesSent += this.#bodyBytes;
    const response = await globalThis.fetch(
      input,
      this.#body === undefined ? init : { ...init, body: this.#body },
    );
    if (response.ok && isProgressStream(response)) return response;
    const text = await response.text();
    this.#counters.bytesReceived += Buffer.byteLength(text);
    this.text = text;
    await socketReleased();
    return response;
  };
}

/**
 * Resolves once undici has put the socket of a finished answer back in its pool. It does so one
 * turn of the event loop later (it will not reuse a keep-alive socket sooner), and a call started
 * before that, as the next of a sequence of calls is, would open a second connection.
 * @internal
 */
export function socketReleased(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
