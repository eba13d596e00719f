/**
 * `tradingHours` / `liquidHours` strings of contract details, in IB's current format:
 * `20240304:0400-20240304:2000;20240309:CLOSED;...` with local times of the instrument's zone, one
 * entry per trading date over the coming week.
 */
import { formatYmd } from './civil-date';
import type { SessionKind } from './sessions';
import { localDayOf, sessionOn, SESSION_TIME_ZONES, sessionWindow } from './sessions';
import { zonedParts } from './time-zones';

function stamp(zone: string, epochSeconds: number): string {
  const parts = zonedParts(zone, epochSeconds);
  return `${formatYmd(parts.dayNumber)}:${String(parts.hour).padStart(2, '0')}${String(parts.minute).padStart(2, '0')}`;
}

/** Hours for `days` trading dates starting with the local date of `nowSeconds`. */
export function tradingHoursText(kind: SessionKind, nowSeconds: number, useRth: boolean, days = 7): string {
  const zone = SESSION_TIME_ZONES[kind];
  const today = localDayOf(kind, nowSeconds);
  const entries: string[] = [];
  for (let day = today; day < today + days; day += 1) {
    const session = sessionOn(kind, day);
    if (!session) {
      // Overnight markets open on a "closed" date (Sunday 17:00): that opening is listed instead.
      const next = sessionOn(kind, day + 1);
      const opensToday =
        next !== undefined && zonedParts(zone, sessionWindow(next, useRth)[0]).dayNumber === day;
      if (!opensToday) entries.push(`${formatYmd(day)}:CLOSED`);
      continue;
    }
    const [start, end] = sessionWindow(session, useRth);
    entries.push(`${stamp(zone, start)}-${stamp(zone, end)}`);
  }
  return entries.join(';');
}
