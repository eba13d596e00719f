/**
 * Intraday activity profile: the relative weight of each minute of a session, used for both volume
 * and volatility (activity and volatility move together intraday). Shapes follow the well-known
 * patterns: a U over the equity day with thin pre/post-market, London and New York humps for forex,
 * and a busy RTH with a quieter overnight for index futures.
 */
import type { SessionKind, TradingSession } from './sessions';
import { SESSION_TIME_ZONES } from './sessions';
import { localSeconds } from './time-zones';

function equityWeight(minuteOfDay: number, rthOpen: number, rthClose: number): number {
  if (minuteOfDay < rthOpen) return 0.03 + 0.12 * Math.exp(-(rthOpen - minuteOfDay) / 40);
  if (minuteOfDay >= rthClose) return 0.04 + 0.3 * Math.exp(-(minuteOfDay - rthClose) / 15);
  const x = (minuteOfDay - rthOpen) / (rthClose - rthOpen);
  return 0.55 + 2.4 * Math.exp(-x / 0.05) + 1.3 * Math.exp(-(1 - x) / 0.04);
}

function forexWeight(minuteOfDay: number): number {
  const bump = (center: number, width: number): number => Math.exp(-(((minuteOfDay - center) / width) ** 2));
  // New York local minutes: London morning ~04:00, New York open ~09:30, Tokyo morning ~20:00.
  return 0.2 + 1.0 * bump(270, 110) + 1.2 * bump(570, 100) + 0.35 * bump(1230, 140);
}

function futuresWeight(minuteOfDay: number, rthOpen: number, rthClose: number): number {
  if (minuteOfDay >= rthOpen && minuteOfDay < rthClose) {
    const x = (minuteOfDay - rthOpen) / (rthClose - rthOpen);
    return 0.7 + 2.0 * Math.exp(-x / 0.05) + 1.1 * Math.exp(-(1 - x) / 0.05);
  }
  // Chicago local: the European open around 02:00 livens the overnight session.
  return 0.1 + 0.3 * Math.exp(-(((minuteOfDay - 120) / 90) ** 2));
}

const profileCache = new Map<string, Float64Array>();

/**
 * Weight of every minute of a session (index 0 = the session's first minute). Memoised by shape,
 * since sessions of one kind repeat a handful of layouts (normal day, early close, DST offsets).
 */
export function minuteWeights(kind: SessionKind, session: TradingSession): Float64Array {
  const zone = SESSION_TIME_ZONES[kind];
  const count = Math.round((session.end - session.start) / 60);
  const startMinute = ((Math.round(localSeconds(zone, session.start) / 60) % 1440) + 1440) % 1440;
  const rthOpen = ((Math.round(localSeconds(zone, session.rthStart) / 60) % 1440) + 1440) % 1440;
  const rthClose = rthOpen + Math.round((session.rthEnd - session.rthStart) / 60);
  const key = `${kind}|${startMinute}|${count}|${rthOpen}|${rthClose}`;
  const cached = profileCache.get(key);
  if (cached) return cached;
  const weights = new Float64Array(count);
  for (let i = 0; i < count; i += 1) {
    const minuteOfDay = (((startMinute + i) % 1440) + 1440) % 1440;
    weights[i] =
      kind === 'us-equity'
        ? equityWeight(minuteOfDay, rthOpen, rthClose)
        : kind === 'forex'
          ? forexWeight(minuteOfDay)
          : futuresWeight(minuteOfDay, rthOpen, rthClose);
  }
  profileCache.set(key, weights);
  return weights;
}
