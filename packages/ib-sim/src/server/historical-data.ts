/**
 * Historical data requests in two stages, mirroring a gateway: validation when the request arrives
 * (contract, bar size, whatToShow, duration, end date, duration limit), then production when the
 * reply is due (range, availability, bars, encoding).
 */
import type { ServedBar } from '../market/bar';
import type { BarSize } from '../market/bar-sizes';
import { parseBarSize } from '../market/bar-sizes';
import type { Duration } from '../market/durations';
import { parseDuration, rangeStart } from '../market/durations';
import { isTradeData, parseWhatToShow } from '../market/quote-sides';
import type { WhatToShow } from '../market/quote-sides';
import { lastSessionsBefore, localDayOf, sessionOn, sessionWindow } from '../market/sessions';
import { zonedTimeToEpoch } from '../market/time-zones';
import { BarTimeFormatter } from '../protocol/bar-time-format';
import type { HistoricalDataRequest } from '../protocol/decoder';
import { historicalDataFrame } from '../protocol/encoder';
import { MAX_FRAME_BYTES } from '../protocol/framing';
import { IbErrorCode, IbErrorText } from '../protocol/error-messages';
import type { SimulatorContext } from './context';
import type { ResolvedContract } from './contract-resolver';
import { resolveContract } from './contract-resolver';
import { type DurationBreach, durationBreach } from './duration-limits';
import { parseEndDateTime } from './end-date-time';
import type { PacedRequest } from './pacing';

/** A validated historical request. */
export interface HistoricalPlan {
  readonly request: HistoricalDataRequest;
  readonly contract: ResolvedContract;
  readonly barSize: BarSize;
  readonly whatToShow: WhatToShow;
  readonly duration: Duration;
  /** Requested end, epoch seconds (already "now" for an empty endDateTime). */
  readonly end: number;
  /** True when endDateTime had a date and time but no zone (warning 2174). */
  readonly missingTimeZone: boolean;
  /** Facts for the pacing rules. */
  readonly pacing: PacedRequest;
}

/** An error reply. `durationViolation` marks 162 "Time length exceed max." for the counters. */
export interface HistoricalFailure {
  readonly ok: false;
  readonly code: number;
  readonly message: string;
  readonly durationViolation?: boolean;
  /** Which duration limit was broken (with `durationViolation`). */
  readonly breach?: DurationBreach;
}

/** Outcome of validation. */
export type PlanResult = { readonly ok: true; readonly plan: HistoricalPlan } | HistoricalFailure;

/** Outcome of production. */
export type ProductionResult =
  { readonly ok: true; readonly frame: Buffer; readonly barCount: number } | HistoricalFailure;

/** Refuse replies that would exceed this many bars before generating them (about 1.6 years of extended-hours minutes). */
export const MAX_BARS_PER_REPLY = 400_000;
/** Bars of 30 s or less are unavailable for data older than this (IB: six months). */
const SMALL_BAR_HISTORY_SECONDS = 182 * 86400;
/** How long expired futures keep their data (IB: two years). */
const EXPIRED_FUTURE_DATA_DAYS = 730;
/** How long before expiry a quarterly contract has data (it lists about five quarters ahead). */
const FUTURE_LISTING_DAYS = 400;

const fail = (code: number, message: string, durationViolation = false): HistoricalFailure => ({
  ok: false,
  code,
  message,
  durationViolation,
});

/** Validates a request as a gateway does on arrival. */
export function planHistoricalRequest(
  ctx: SimulatorContext,
  request: HistoricalDataRequest,
  nowSeconds: number,
): PlanResult {
  const today = Math.floor(nowSeconds / 86400);
  const resolution = resolveContract(ctx.universe, request.contract, today, 'data');
  if (!resolution.ok) return fail(resolution.code, resolution.message);
  const contract = resolution.contracts[0] as ResolvedContract;
  const barSize = parseBarSize(request.barSize);
  if (!barSize) return fail(IbErrorCode.INVALID_REQUEST, IbErrorText.invalidBarSize);
  const whatToShow = parseWhatToShow(request.whatToShow);
  if (!whatToShow)
    return fail(IbErrorCode.INVALID_REQUEST, IbErrorText.invalidWhatToShow(request.whatToShow));
  const duration = parseDuration(request.duration);
  if (!duration) return fail(IbErrorCode.INVALID_REQUEST, IbErrorText.invalidDuration(request.duration));
  const end = parseEndDateTime(request.endDateTime, nowSeconds);
  if (!end.ok) return fail(IbErrorCode.INVALID_END_DATE_TIME, IbErrorText.invalidEndDateTime);
  if (request.keepUpToDate && !end.now)
    return fail(IbErrorCode.INVALID_REQUEST, IbErrorText.keepUpToDateWithEndDate);
  const breach = durationBreach(ctx.options.durationLimits, duration, barSize);
  if (breach !== undefined) {
    return { ...fail(IbErrorCode.HISTORICAL_DATA_ERROR, IbErrorText.timeLengthExceeded, true), breach };
  }
  const conId = contract.future?.conId ?? contract.instrument.conId;
  const exchange = (request.contract.exchange || contract.instrument.exchange).toUpperCase();
  const contractKey = `${conId}${contract.continuous ? 'C' : ''}|${exchange}|${whatToShow}`;
  return {
    ok: true,
    plan: {
      request,
      contract,
      barSize,
      whatToShow,
      duration,
      end: end.epochSeconds,
      missingTimeZone: end.missingTimeZone,
      pacing: {
        contractKey,
        identityKey: [
          contractKey,
          request.endDateTime,
          request.duration,
          request.barSize,
          request.useRth,
          request.formatDate,
          request.keepUpToDate,
        ].join('|'),
        weight: whatToShow === 'BID_ASK' ? 2 : 1,
        barSeconds: barSize.seconds,
      },
    },
  };
}

/** The time window the plan may serve: clipped to now, and to a future contract's life. */
function dataWindow(plan: HistoricalPlan, nowSeconds: number): { from: number; to: number } | undefined {
  const { instrument, future } = plan.contract;
  let from = Number.NEGATIVE_INFINITY;
  let to = Math.min(plan.end, nowSeconds);
  if (future) {
    const today = localDayOf(instrument.sessionKind, nowSeconds);
    if (today - future.expiryDay > EXPIRED_FUTURE_DATA_DAYS) return undefined;
    const lastSession = sessionOn(instrument.sessionKind, future.expiryDay);
    if (lastSession) to = Math.min(to, lastSession.end);
    from = zonedTimeToEpoch(instrument.timeZone, future.expiryDay - FUTURE_LISTING_DAYS, 0, 0);
  }
  return { from, to };
}

/** Produces the HISTORICAL_DATA payload, or the error a gateway would send instead. */
export function produceHistoricalReply(
  ctx: SimulatorContext,
  plan: HistoricalPlan,
  nowSeconds: number,
): ProductionResult {
  const { request, barSize, whatToShow } = plan;
  const { instrument } = plan.contract;
  const noData = fail(
    IbErrorCode.HISTORICAL_DATA_ERROR,
    IbErrorText.noData(
      instrument.ibSymbol,
      (request.contract.exchange || instrument.exchange).toUpperCase(),
      whatToShow,
    ),
  );
  // IDEALPRO forex has no trade prints: TRADES requests get "no data", as from IB.
  if (instrument.secType === 'CASH' && isTradeData(whatToShow)) return noData;
  const window = dataWindow(plan, nowSeconds);
  if (!window) return noData;
  const end = window.to;
  // Nothing exists before the head timestamp; clamping there also bounds absurd durations.
  const head = ctx.bars.headTime(instrument, request.useRth) ?? end;
  const start = Math.max(
    window.from,
    head,
    rangeStart(plan.duration, end, instrument.sessionKind, instrument.timeZone, request.useRth),
  );
  if (barSize.unit === 'seconds' && barSize.seconds <= 30 && start < nowSeconds - SMALL_BAR_HISTORY_SECONDS) {
    return noData;
  }
  const query = { instrument, start, end, barSize, whatToShow, useRth: request.useRth };
  if (ctx.bars.estimateCount(query) > MAX_BARS_PER_REPLY) {
    return fail(IbErrorCode.HISTORICAL_DATA_ERROR, IbErrorText.timeLengthExceeded, true);
  }
  const bars = ctx.bars.bars(query);
  if (bars.length === 0) return noData;
  const formatter = new BarTimeFormatter(instrument.timeZone);
  const label =
    barSize.unit === 'seconds'
      ? (bar: ServedBar): string => formatter.intraday(bar.time, request.formatDate)
      : (bar: ServedBar): string => formatter.daily(bar.day);
  const frame = historicalDataFrame(
    request.reqId,
    formatter.intraday(start, 1),
    formatter.intraday(end, 1),
    bars,
    label,
  );
  if (frame.length > MAX_FRAME_BYTES) {
    // The client would drop the connection on a frame this large; a gateway never sends one.
    return fail(IbErrorCode.HISTORICAL_DATA_ERROR, IbErrorText.timeLengthExceeded, true);
  }
  return { ok: true, frame, barCount: bars.length };
}

/** The bar in progress at `nowSeconds`, for keepUpToDate updates, with its printed date. */
export function currentBar(
  ctx: SimulatorContext,
  plan: HistoricalPlan,
  nowSeconds: number,
): { bar: ServedBar; date: string } | undefined {
  const { instrument } = plan.contract;
  const { barSize, whatToShow, request } = plan;
  const last = lastSessionsBefore(instrument.sessionKind, nowSeconds + 1, 1, request.useRth)[0];
  if (!last) return undefined;
  const [sessionStart, sessionEnd] = sessionWindow(last, request.useRth);
  // Outside the session (after the close, at the weekend) the last bar of the last session is current.
  const end = Math.min(nowSeconds + 1, sessionEnd);
  const start =
    barSize.unit === 'seconds'
      ? end - barSize.seconds - 60
      : barSize.unit === 'day'
        ? sessionStart
        : nowSeconds - (barSize.unit === 'week' ? 8 : 32) * 86400;
  const bars = ctx.bars.bars({ instrument, start, end, barSize, whatToShow, useRth: request.useRth });
  const bar = bars[bars.length - 1];
  if (!bar) return undefined;
  const formatter = new BarTimeFormatter(instrument.timeZone);
  const date =
    barSize.unit === 'seconds' ? formatter.intraday(bar.time, request.formatDate) : formatter.daily(bar.day);
  return { bar, date };
}
