/**
 * How long a duration may be for a bar size. Two profiles:
 * - `strict`: IB's documented step-size table. Each duration unit has a finest allowed bar size
 *   (S: 1 secs, D: 5 secs, W: 10 secs, M: 30 secs, Y: 1 min) and `S` durations stop at 86400 S.
 *   Coarser bars than a unit's listed maximum are accepted (IBApiNext itself asks `3600 S` of hourly
 *   bars for live updates, and gateways answer).
 * - `practical`: the step-size table as above, and within it what a gateway answers reliably in
 *   practice; beyond that cap requests time out or are refused (e.g. 1-minute bars work up to 5 D,
 *   6 D and more time out).
 * Requests outside the table are answered with 162 "Time length exceed max."; requests within the
 * table but over the practical cap get the same by default, or no answer at all (a timeout) with
 * the simulator's `durationOverrun: 'timeout'`.
 */
import type { BarSize } from '../market/bar-sizes';
import type { Duration, DurationUnit } from '../market/durations';

/** Limit profile; `off` accepts anything. */
export type DurationLimitProfile = 'strict' | 'practical' | 'off';

const DAY = 86400;

const STRICT_FINEST_BAR_SECONDS: Readonly<Record<DurationUnit, number>> = { S: 1, D: 5, W: 10, M: 30, Y: 60 };
const STRICT_MAX_SECONDS_DURATION = 86400;

/** Practical maximum duration (nominal seconds) per bar size. */
export const PRACTICAL_MAX_DURATION_SECONDS: Readonly<Record<string, number>> = {
  '1 secs': 1800,
  '5 secs': 7200,
  '10 secs': 14400,
  '15 secs': 14400,
  '30 secs': 28800,
  '1 min': 5 * DAY,
  '2 mins': 10 * DAY,
  '3 mins': 14 * DAY,
  '5 mins': 30 * DAY,
  '10 mins': 30 * DAY,
  '15 mins': 60 * DAY,
  '20 mins': 60 * DAY,
  '30 mins': 90 * DAY,
  '1 hour': 180 * DAY,
  '2 hours': 365 * DAY,
  '3 hours': 365 * DAY,
  '4 hours': 365 * DAY,
  '8 hours': 2 * 365 * DAY,
  '1 day': 30 * 365 * DAY,
  '1 week': 30 * 365 * DAY,
  '1 month': 30 * 365 * DAY,
};

/** Which limit a request breaks: IB's step-size table, or only the practical cap within it. */
export type DurationBreach = 'step-size-table' | 'practical-cap';

/** Whether IB's step-size table allows `duration` for `barSize`. */
function withinStepSizeTable(duration: Duration, barSize: BarSize): boolean {
  if (duration.unit === 'S' && duration.count > STRICT_MAX_SECONDS_DURATION) return false;
  return barSize.seconds >= STRICT_FINEST_BAR_SECONDS[duration.unit];
}

/** The limit of the profile a duration breaks for a bar size, if any. */
export function durationBreach(
  profile: DurationLimitProfile,
  duration: Duration,
  barSize: BarSize,
): DurationBreach | undefined {
  if (profile === 'off') return undefined;
  if (!withinStepSizeTable(duration, barSize)) return 'step-size-table';
  if (profile === 'strict') return undefined;
  const cap = PRACTICAL_MAX_DURATION_SECONDS[barSize.setting] ?? Number.POSITIVE_INFINITY;
  return duration.nominalSeconds <= cap ? undefined : 'practical-cap';
}
