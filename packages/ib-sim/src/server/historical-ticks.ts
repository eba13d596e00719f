/**
 * reqHistoricalTicks (96): trade, quote or midpoint ticks from the same synthetic market as the bars.
 * Each second bar of the trade path (see `sub-minute.ts`) with volume is one trade at its close, so
 * a minute's trades sum to the minute bar's volume and stay inside its range; bid, ask and midpoint
 * are quoted every second around that path exactly as quote-side bars are built. The answer is one
 * list of at most `numberOfTicks` ticks with `done` set: HISTORICAL_TICKS_LAST (98) for TRADES,
 * HISTORICAL_TICKS_BID_ASK (97) for BID_ASK, HISTORICAL_TICKS (96) for MIDPOINT.
 */
import type { ServedBar } from '../market/bar';
import { parseBarSize } from '../market/bar-sizes';
import type { Instrument } from '../market/instrument';
import { toQuoteSide } from '../market/quote-sides';
import { mixHash } from '../market/random';
import type { TradingSession } from '../market/sessions';
import { lastSessionsBefore, sessionsOverlapping, sessionWindow } from '../market/sessions';
import { tickRounder } from '../market/ticks';
import type { HistoricalTicksRequest } from '../protocol/decoder';
import type { WireField } from '../protocol/framing';
import {
  historicalTicksBidAskFields,
  historicalTicksLastFields,
  historicalTicksMidpointFields,
} from '../protocol/encoder-extra';
import type { BidAskTick, LastTick, MidpointTick } from '../protocol/encoder-extra';
import { IbErrorCode, IbErrorText } from '../protocol/error-messages';
import type { SimulatorContext } from './context';
import type { ResolvedContract } from './contract-resolver';
import { resolveContract } from './contract-resolver';
import { parseEndDateTime } from './end-date-time';

/** IB's limit on `numberOfTicks`. */
export const MAX_TICKS_PER_REQUEST = 1000;
/** Sessions searched for ticks before giving up (a request far from any data finds none). */
const MAX_SESSIONS_SCANNED = 10;
/** Seconds generated at a time while searching. */
const CHUNK_SECONDS = 1800;
const ONE_SECOND = parseBarSize('1 secs');

type TickKind = 'TRADES' | 'BID_ASK' | 'MIDPOINT';

/** The reply: one message, or an error. */
export type TicksResult =
  | { readonly ok: true; readonly fields: WireField[] }
  | { readonly ok: false; readonly code: number; readonly message: string };

const invalid = (why: string): TicksResult => ({
  ok: false,
  code: IbErrorCode.INVALID_REQUEST,
  message: `Error validating request.-'bX' : cause - ${why}`,
});

/** Produces the reply to a historical ticks request at `nowSeconds`. */
export function produceHistoricalTicks(
  ctx: SimulatorContext,
  request: HistoricalTicksRequest,
  nowSeconds: number,
): TicksResult {
  const resolution = resolveContract(ctx.universe, request.contract, Math.floor(nowSeconds / 86400), 'data');
  if (!resolution.ok) return { ok: false, code: resolution.code, message: resolution.message };
  const contract = resolution.contracts[0] as ResolvedContract;
  const instrument = contract.instrument;
  const kind = request.whatToShow.trim().toUpperCase();
  if (kind !== 'TRADES' && kind !== 'BID_ASK' && kind !== 'MIDPOINT') {
    return invalid(
      `Historical ticks whatToShow "${request.whatToShow}" is invalid. Use TRADES, BID_ASK or MIDPOINT`,
    );
  }
  if (request.numberOfTicks < 1 || request.numberOfTicks > MAX_TICKS_PER_REQUEST) {
    return invalid(`numberOfTicks must be between 1 and ${MAX_TICKS_PER_REQUEST}`);
  }
  const hasStart = request.startDateTime.trim() !== '';
  if (hasStart === (request.endDateTime.trim() !== '')) {
    return invalid('Exactly one of startDateTime and endDateTime must be given for historical ticks');
  }
  const parsed = parseEndDateTime(hasStart ? request.startDateTime : request.endDateTime, nowSeconds);
  if (!parsed.ok)
    return { ok: false, code: IbErrorCode.INVALID_END_DATE_TIME, message: IbErrorText.invalidEndDateTime };
  const noData = {
    ok: false as const,
    code: IbErrorCode.HISTORICAL_DATA_ERROR,
    message: IbErrorText.noData(instrument.ibSymbol, instrument.exchange, kind),
  };
  // IDEALPRO forex has no trade prints.
  if (instrument.secType === 'CASH' && kind === 'TRADES') return noData;
  const head = ctx.bars.headTime(instrument, request.useRth) ?? nowSeconds;
  const bars = hasStart
    ? secondsForward(ctx, instrument, Math.max(parsed.epochSeconds, head), nowSeconds, request, kind)
    : secondsBackward(ctx, instrument, Math.min(parsed.epochSeconds, nowSeconds), head, request, kind);
  const reqId = request.reqId;
  if (kind === 'TRADES') {
    const exchange = instrument.primaryExchange || instrument.exchange;
    const ticks = bars.map((bar): LastTick => ({
      time: bar.time,
      price: bar.close,
      size: bar.volume,
      exchange,
    }));
    return { ok: true, fields: historicalTicksLastFields(reqId, ticks, true) };
  }
  const rounder = tickRounder(instrument.minTick);
  const spread = instrument.price.spreadTicks;
  if (kind === 'MIDPOINT') {
    const ticks = bars.map((bar): MidpointTick => ({
      time: bar.time,
      price: toQuoteSide(bar, 'MIDPOINT', spread, rounder).close,
    }));
    return { ok: true, fields: historicalTicksMidpointFields(reqId, ticks, true) };
  }
  const seed = ctx.bars.instrumentSeed(instrument);
  const ticks = bars.map((bar): BidAskTick => {
    // Quote sizes are not part of the bars: deterministic round lots (0 with ignoreSize, as IB).
    const size = (salt: number): number =>
      request.ignoreSize ? 0 : 100 * (1 + (mixHash(seed, bar.time, salt) % 10));
    return {
      time: bar.time,
      bid: toQuoteSide(bar, 'BID', spread, rounder).close,
      ask: toQuoteSide(bar, 'ASK', spread, rounder).close,
      bidSize: size(1),
      askSize: size(2),
    };
  });
  return { ok: true, fields: historicalTicksBidAskFields(reqId, ticks, true) };
}

/** Whether a second of the trade path makes a tick of this kind (trades need volume). */
const makesTick = (bar: ServedBar, kind: TickKind): boolean => kind !== 'TRADES' || bar.volume > 0;

function secondBars(
  ctx: SimulatorContext,
  instrument: Instrument,
  start: number,
  end: number,
  useRth: boolean,
) {
  if (!ONE_SECOND || end <= start) return [];
  return ctx.bars.bars({ instrument, start, end, barSize: ONE_SECOND, whatToShow: 'TRADES', useRth });
}

/** The first `numberOfTicks` tick-making seconds at or after `from` (and before `now`). */
function secondsForward(
  ctx: SimulatorContext,
  instrument: Instrument,
  from: number,
  now: number,
  request: HistoricalTicksRequest,
  kind: TickKind,
): ServedBar[] {
  const out: ServedBar[] = [];
  const sessions = sessionsOverlapping(instrument.sessionKind, from, now, request.useRth).slice(
    0,
    MAX_SESSIONS_SCANNED,
  );
  for (const session of sessions) {
    const [start, end] = window(session, request.useRth, from, now);
    for (let t = start; t < end; t += CHUNK_SECONDS) {
      for (const bar of secondBars(ctx, instrument, t, Math.min(end, t + CHUNK_SECONDS), request.useRth)) {
        if (!makesTick(bar, kind)) continue;
        out.push(bar);
        if (out.length >= request.numberOfTicks) return out;
      }
    }
  }
  return out;
}

/** The last `numberOfTicks` tick-making seconds before `to` (and not before `head`), oldest first. */
function secondsBackward(
  ctx: SimulatorContext,
  instrument: Instrument,
  to: number,
  head: number,
  request: HistoricalTicksRequest,
  kind: TickKind,
): ServedBar[] {
  const collected: ServedBar[][] = [];
  let count = 0;
  const sessions = lastSessionsBefore(instrument.sessionKind, to, MAX_SESSIONS_SCANNED, request.useRth);
  for (const session of sessions.reverse()) {
    const [start, end] = window(session, request.useRth, head, to);
    for (let t = end; t > start; t -= CHUNK_SECONDS) {
      const chunk = secondBars(ctx, instrument, Math.max(start, t - CHUNK_SECONDS), t, request.useRth).filter(
        (bar) => makesTick(bar, kind),
      );
      const wanted = request.numberOfTicks - count;
      const kept = chunk.slice(Math.max(0, chunk.length - wanted));
      collected.unshift(kept);
      count += kept.length;
      if (count >= request.numberOfTicks) return collected.flat();
    }
  }
  return collected.flat();
}

/** A session's window clipped to `[from, to)`. */
function window(session: TradingSession, useRth: boolean, from: number, to: number): [number, number] {
  const [start, end] = sessionWindow(session, useRth);
  return [Math.max(start, from), Math.min(end, to)];
}
