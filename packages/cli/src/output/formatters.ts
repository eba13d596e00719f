import { formatDuration } from '../render/durations';
import { decimalsFor, formatCount, formatFixed } from '../render/numbers';

/** Timeframes whose bars start at midnight: their time of day says nothing. */
const DAILY_OR_LONGER = new Set(['1d', '1w', '1M']);

/**
 * A bar's ISO time for a table: `2024-01-31 14:30` (UTC), or the date alone for daily and longer
 * bars. Anything that is not an ISO time is shown as given.
 */
export function formatBarTime(iso: string, timeframe?: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  if (match === null) return iso;
  return timeframe !== undefined && DAILY_OR_LONGER.has(timeframe)
    ? (match[1] as string)
    : `${match[1]} ${match[2]}`;
}

/** A formatter showing prices with as many decimals as the finest of `values` needs (2 to 6). */
export function priceFormatter(values: readonly number[]): (value: unknown) => string {
  const decimals = Math.max(2, decimalsFor(values));
  return (value) => formatFixed(typeof value === 'number' ? value : undefined, decimals);
}

/** Counts with thousands separators; `-` when missing. */
export function countFormat(value: unknown): string {
  return typeof value === 'number'
    ? formatCount(value)
    : value === null || value === undefined
      ? '-'
      : String(value);
}

/** An ISO time shown as `2024-01-31 14:30:05 UTC`; `-` when missing. */
export function timeFormat(value: unknown): string {
  if (typeof value !== 'string') return '-';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value);
  return match === null ? value : `${match[1]} ${match[2]} UTC`;
}

/** `yes`/`no`. */
export function yesNo(value: unknown): string {
  return value === true ? 'yes' : value === false ? 'no' : '-';
}

/** `SIMULATED` or `real` for a series' source. */
export function sourceFormat(value: unknown): string {
  return value === true ? 'SIMULATED' : 'real';
}

/** Milliseconds as a duration; `-` when missing. */
export function durationFormat(value: unknown): string {
  return typeof value === 'number' ? formatDuration(value) : '-';
}

/** Duration between two ISO times, when both are known. */
export function durationBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? ms : undefined;
}
