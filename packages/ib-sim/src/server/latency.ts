/**
 * Per-request response latency: a fixed number, a uniform `{ min, max }` range drawn from the
 * simulator's seeded random stream (reproducible for a given request order), or any function.
 */
import type { Rng } from '../market/random';
import type { SimRequestInfo } from './request-info';

/** Latency distribution in milliseconds. */
export type LatencySpec =
  number | { readonly min: number; readonly max: number } | ((request: SimRequestInfo) => number);

/** Checks a latency spec, throwing a RangeError that names the problem. */
export function validateLatency(spec: LatencySpec): LatencySpec {
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec) || spec < 0) throw new RangeError(`latencyMs must be >= 0, got ${spec}`);
  } else if (typeof spec === 'object') {
    if (!(spec.min >= 0) || !(spec.max >= spec.min)) {
      throw new RangeError(
        `latencyMs range needs 0 <= min <= max, got { min: ${spec.min}, max: ${spec.max} }`,
      );
    }
  }
  return spec;
}

/** Draws the latency for one request. */
export function sampleLatency(spec: LatencySpec, request: SimRequestInfo, rng: Rng): number {
  if (typeof spec === 'number') return spec;
  if (typeof spec === 'function') return Math.max(0, spec(request));
  return spec.min + (spec.max - spec.min) * rng.next();
}

/**
 * Parses the bin's `--latency` value: `50` (fixed) or `20-200` / `20..200` (uniform range).
 * Returns `undefined` for anything else.
 */
export function parseLatencyArgument(text: string): LatencySpec | undefined {
  const fixed = /^\d+(?:\.\d+)?$/.exec(text.trim());
  if (fixed) return Number(text);
  const range = /^(\d+(?:\.\d+)?)\s*(?:-|\.\.)\s*(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!range) return undefined;
  const min = Number(range[1]);
  const max = Number(range[2]);
  return max >= min ? { min, max } : undefined;
}
