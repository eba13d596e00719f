import { type KtrdrError, ServiceConnectionError } from '@ktrdr/core';
import { formatIsoUtc } from '../domain/dates';
import type { TimeRange } from '../gaps/gap-types';
import type { LoadDataResult, LoadResume, NoDataRange } from './load-types';
import type { RememberedNoData } from './no-data-memory';

/** What a load that ended early had stored, by the error it ended with. */
const partialLoads = new WeakMap<object, LoadDataResult>();

/** Records `partial` as what the load that fails with `error` kept; returns `error`. */
export function withPartialLoad(error: KtrdrError, partial: LoadDataResult): KtrdrError {
  partialLoads.set(error, partial);
  return error;
}

/**
 * What a load that failed or was cancelled with `error` kept and left missing (same shape as a
 * finished load's result), or undefined when it ended before fetching anything.
 */
export function partialLoadOf(error: unknown): LoadDataResult | undefined {
  return typeof error === 'object' && error !== null ? partialLoads.get(error) : undefined;
}

/**
 * Errors that mean the gateway (or the service in front of it) is unreachable or silent, not that
 * one request went wrong: once a segment still fails with one after its retries, the load stops
 * (see `stopWhen`). A 5xx answer (`host_service`) is a failing request, not a lost service.
 */
export function isGatewayLost(error: KtrdrError): boolean {
  return error.code === 'connection_failed' || error.code === 'timeout';
}

/** The error a load ends with when the gateway was lost: what was kept, what is missing, how to resume. */
export function gatewayLostError(cause: KtrdrError, partial: LoadDataResult): KtrdrError {
  const kept = partial.frame.length;
  const missing = partial.missingRanges;
  const resume =
    partial.resume === undefined
      ? ''
      : ` Load again once it is back to fetch the rest (mode full, start ${partial.resume.start}, end ${partial.resume.end}).`;
  const error = new ServiceConnectionError(
    `${partial.symbol} ${partial.timeframe} load stopped: ${cause.message} ` +
      `Kept ${kept} bar(s) in the store; ${missing.length} range(s) missing.${resume}`,
    {
      details: {
        symbol: partial.symbol,
        timeframe: partial.timeframe,
        stored_bars: kept,
        missing_ranges: missing,
        resume: partial.resume ?? null,
      },
      cause,
    },
  );
  return withPartialLoad(error, partial);
}

/** True when the two ranges share time. */
export function overlaps(a: TimeRange, b: TimeRange): boolean {
  return a.start < b.end && b.start < a.end;
}

/** A remembered "no data" answer as a result entry. */
export function noDataRange(range: RememberedNoData, source: NoDataRange['source']): NoDataRange {
  return {
    start: formatIsoUtc(range.start),
    end: formatIsoUtc(range.end),
    source,
    rememberedUntil: formatIsoUtc(range.until),
  };
}

/** `{ resume }` covering every missing range, or nothing when none is missing. */
export function resumeOf(missing: readonly TimeRange[]): { resume?: LoadResume } {
  if (missing.length === 0) return {};
  const start = Math.min(...missing.map((r) => r.start));
  const end = Math.max(...missing.map((r) => r.end));
  return { resume: { mode: 'full', start: formatIsoUtc(start), end: formatIsoUtc(end) } };
}
