import { sessionsBetween, type TradingCalendar } from '../calendar/trading-calendar';
import { localDayNumber } from '../calendar/time-zone';
import { DAY_MS } from '../domain/civil-date';
import type { GapKind } from './gap-types';

// When a closed stretch touches several kinds of closed day, the rarest explains it best: a
// Friday-to-Tuesday gap around a Monday holiday is a holiday gap, not a weekend gap.
const RANK: Record<string, number> = { weekend: 1, holiday: 2, market_closure: 3 };

// Longest closure to look across for the surrounding sessions (September 2001 shut NYSE for 6 days).
const LOOKAROUND_MS = 14 * DAY_MS;

/**
 * Explains an interval `[start, end)` in which the calendar has no session. The interval is first
 * widened to the whole closed stretch around it (previous session end to next session start), so
 * that a piece of it is named like the whole: Monday 00:00-04:00 New York is still the weekend, and
 * Friday evening after the forex close is too. The stretch is then `market_closure`, `holiday` or
 * `weekend` when a local date it touches is such a day, else `outside_trading_hours` (nights, the
 * futures maintenance break, early closes).
 */
export function classifyClosedInterval(
  calendar: TradingCalendar,
  start: number,
  end: number,
): { kind: Exclude<GapKind, 'unexpected'>; reason?: string } {
  const before = sessionsBetween(calendar, start - LOOKAROUND_MS, start);
  const after = sessionsBetween(calendar, end, end + LOOKAROUND_MS);
  const from = Math.min(start, before[before.length - 1]?.end ?? start - LOOKAROUND_MS);
  const to = Math.max(end, after[0]?.start ?? end + LOOKAROUND_MS);

  let best: { kind: Exclude<GapKind, 'unexpected'>; reason?: string } = { kind: 'outside_trading_hours' };
  let bestRank = 0;
  const first = localDayNumber(calendar.timeZone, from);
  const last = localDayNumber(calendar.timeZone, Math.max(from, to - 1));
  for (let d = first; d <= last; d++) {
    const day = calendar.tradingDay(d);
    const rank = RANK[day.status] ?? 0;
    if (rank > bestRank) {
      bestRank = rank;
      best =
        day.name === undefined
          ? { kind: day.status as 'weekend' }
          : { kind: day.status as 'holiday' | 'market_closure', reason: day.name };
    }
  }
  return best;
}
