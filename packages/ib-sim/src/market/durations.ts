/**
 * IB duration strings (`30 S`, `5 D`, `2 W`, `6 M`, `1 Y`) and the time range they select.
 */
import { daysFromCivil, daysInMonth } from './civil-date';
import type { SessionKind } from './sessions';
import { lastSessionsBefore, sessionWindow } from './sessions';
import { localSeconds, zonedParts } from './time-zones';

/** Duration units. */
export type DurationUnit = 'S' | 'D' | 'W' | 'M' | 'Y';

/** A parsed duration. */
export interface Duration {
  readonly count: number;
  readonly unit: DurationUnit;
  /** Nominal length in seconds (D = 1 day, M = 30 days, Y = 365 days), for limit checks. */
  readonly nominalSeconds: number;
}

/** Cap on `N D` counted back session by session. */
const MAX_SESSION_COUNT = 40_000;

const NOMINAL: Readonly<Record<DurationUnit, number>> = {
  S: 1,
  D: 86400,
  W: 7 * 86400,
  M: 30 * 86400,
  Y: 365 * 86400,
};

/** Parses `<integer> <unit>`; `undefined` for anything IB would reject. */
export function parseDuration(text: string): Duration | undefined {
  const match = /^(\d+) ([SDWMY])$/.exec(text.trim());
  if (!match) return undefined;
  const count = Number(match[1]);
  const unit = match[2] as DurationUnit;
  if (!Number.isSafeInteger(count) || count < 1) return undefined;
  return { count, unit, nominalSeconds: count * NOMINAL[unit] };
}

/** Shifts an instant back by whole calendar months in a zone, keeping the wall-clock time. */
function monthsBefore(timeZone: string, epochSeconds: number, months: number): number {
  const parts = zonedParts(timeZone, epochSeconds);
  const index = parts.year * 12 + (parts.month - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(parts.day, daysInMonth(year, month));
  // Same wall-clock time on the earlier date; the offset of the original instant is kept, which is at
  // most an hour off across a DST change and irrelevant for selecting bars.
  return epochSeconds - (parts.dayNumber - daysFromCivil(year, month, day)) * 86400;
}

/** Shifts an instant back by whole local days (same wall-clock time, across DST changes too). */
function daysBefore(timeZone: string, epochSeconds: number, days: number): number {
  const before = epochSeconds - days * 86400;
  // Correct by the DST offset difference so the local clock time is unchanged.
  return (
    before - (localSeconds(timeZone, before) - before) + (localSeconds(timeZone, epochSeconds) - epochSeconds)
  );
}

/**
 * Start of the range a duration selects, ending at `end`. `D` counts trading sessions (as IB does:
 * `2 D` on a Monday covers Friday and Monday); `W`, `M`, `Y` are calendar spans; `S` is seconds.
 * Returns `end` when there is no session to count back to.
 */
export function rangeStart(
  duration: Duration,
  end: number,
  kind: SessionKind,
  timeZone: string,
  useRth: boolean,
): number {
  switch (duration.unit) {
    case 'S':
      return end - duration.count;
    case 'D': {
      // More sessions than any market has had (about 150 years) cannot change the answer.
      const sessions = lastSessionsBefore(kind, end, Math.min(duration.count, MAX_SESSION_COUNT), useRth);
      const first = sessions[0];
      return first ? sessionWindow(first, useRth)[0] : end;
    }
    case 'W':
      return daysBefore(timeZone, end, duration.count * 7);
    case 'M':
      return monthsBefore(timeZone, end, duration.count);
    case 'Y':
      return monthsBefore(timeZone, end, duration.count * 12);
  }
}
