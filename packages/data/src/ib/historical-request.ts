import { type KtrdrError, ValidationError } from '@ktrdr/core';
import { TIMEFRAME_SPECS, type Timeframe, isTimeframe } from '../domain/timeframes';
import type { IbContract } from './ib-api-port';
import type { IbRequestSpec } from './ib-connection';
import {
  type IbBarSize,
  formatIbEndDateTime,
  ibBarSeconds,
  isIbBarSize,
  parseIbBarTime,
  toIbDuration,
} from './ib-time';
import type { PacingPolicy, PacingTicket } from './pacing-types';
import type { Bar } from '../domain/bars';

/**
 * One bar as IB sent it: the domain's {@link Bar}. Volume is 0 where IB has none (MIDPOINT and BID
 * bars of forex carry -1 on the wire).
 */
export type IbBar = Bar;

/** The price series IB builds bars from. */
export const IB_WHAT_TO_SHOW = [
  'TRADES',
  'MIDPOINT',
  'BID',
  'ASK',
  'BID_ASK',
  'ADJUSTED_LAST',
  'HISTORICAL_VOLATILITY',
  'OPTION_IMPLIED_VOLATILITY',
] as const;

/** One of {@link IB_WHAT_TO_SHOW}. */
export type IbWhatToShow = (typeof IB_WHAT_TO_SHOW)[number];

/** A historical request after validation, ready to send. */
export interface HistoricalRequest {
  contract: IbContract;
  /** `yyyyMMdd-HH:mm:ss` UTC. */
  endDateTime: string;
  durationStr: string;
  barSize: IbBarSize;
  whatToShow: IbWhatToShow;
  useRTH: boolean;
  /** Pacing policy of this request; default: the connection's. */
  pacing?: PacingPolicy;
}

/**
 * formatDate 2 asks for epoch seconds, which carry no time-zone ambiguity; IB still sends daily and
 * longer bars as `yyyyMMdd`, which {@link parseIbBarTime} reads as UTC midnight.
 */
const FORMAT_DATE_EPOCH = 2;

/**
 * IB's bar size for a request given either a ktrdr timeframe or an IB bar size (exactly one).
 * @throws ValidationError (`details.field` timeframe or barSize).
 */
export function resolveBarSize(
  timeframe: Timeframe | string | undefined,
  barSize: string | undefined,
): IbBarSize {
  if (timeframe !== undefined && barSize !== undefined) {
    throw new ValidationError('Give either timeframe or barSize, not both.', {
      details: { field: 'timeframe' },
    });
  }
  if (timeframe !== undefined) {
    if (!isTimeframe(timeframe)) {
      throw new ValidationError(
        `Unknown timeframe '${timeframe}': use one of ${Object.keys(TIMEFRAME_SPECS).join(', ')}.`,
        {
          details: { field: 'timeframe', value: timeframe },
        },
      );
    }
    return TIMEFRAME_SPECS[timeframe].ibBarSize as IbBarSize;
  }
  if (barSize !== undefined) {
    if (!isIbBarSize(barSize)) {
      throw new ValidationError(
        `Unknown IB bar size '${barSize}': use one such as '1 min', '1 hour' or '1 day'.`,
        {
          details: { field: 'barSize', value: barSize },
        },
      );
    }
    return barSize;
  }
  throw new ValidationError('A historical request needs a timeframe (such as 1h) or an IB barSize.', {
    details: { field: 'timeframe' },
  });
}

/**
 * The series to ask for: the caller's choice, else BID for forex (what the Python system used:
 * IB has no trades for currencies) and TRADES for stocks and futures.
 */
export function resolveWhatToShow(secType: string | undefined, whatToShow: string | undefined): IbWhatToShow {
  if (whatToShow === undefined) return secType === 'CASH' ? 'BID' : 'TRADES';
  const upper = whatToShow.toUpperCase();
  if ((IB_WHAT_TO_SHOW as readonly string[]).includes(upper)) return upper as IbWhatToShow;
  throw new ValidationError(`Unknown whatToShow '${whatToShow}': use one of ${IB_WHAT_TO_SHOW.join(', ')}.`, {
    details: { field: 'whatToShow', value: whatToShow },
  });
}

/** Builds a validated {@link HistoricalRequest}. */
export function buildHistoricalRequest(input: {
  contract: IbContract;
  end: Date;
  duration: string | { days: number };
  barSize: IbBarSize;
  whatToShow?: string;
  useRTH?: boolean;
  pacing?: PacingPolicy;
}): HistoricalRequest {
  return {
    contract: input.contract,
    endDateTime: formatIbEndDateTime(input.end),
    durationStr: toIbDuration(input.duration),
    barSize: input.barSize,
    whatToShow: resolveWhatToShow(input.contract.secType, input.whatToShow),
    useRTH: input.useRTH ?? false,
    ...(input.pacing === undefined ? {} : { pacing: input.pacing }),
  };
}

/** A short description for logs and errors: `historical bars AAPL STK 1 min 1 D to 20240301-00:00:00 TRADES`. */
export function describeHistorical(request: HistoricalRequest): string {
  const c = request.contract;
  const name = c.secType === 'CASH' ? `${c.symbol}.${c.currency}` : c.localSymbol || c.symbol;
  return `historical bars ${name} ${c.secType} ${request.barSize} ${request.durationStr} to ${request.endDateTime} ${request.whatToShow}`;
}

/** The pacing bucket of IB's "6 in 2 seconds" rule: contract, exchange and tick type. */
export function pacingBucket(contract: IbContract, whatToShow: IbWhatToShow): string {
  return `${contract.secType}:${contract.symbol}@${contract.exchange ?? ''}/${whatToShow}`;
}

/**
 * The pacing identity of a request. Contract, exchange and tick type make the bucket of IB's
 * "6 in 2 seconds" rule; the bucket deliberately ignores currency and contract month, so it is at
 * least as coarse as however a gateway counts "the same contract".
 */
export function historicalTicket(request: HistoricalRequest): PacingTicket {
  const c = request.contract;
  const bucket = pacingBucket(c, request.whatToShow);
  const identity = JSON.stringify([
    c.conId ?? null,
    c.symbol,
    c.secType,
    c.currency,
    c.exchange,
    c.lastTradeDateOrContractMonth ?? '',
    request.endDateTime,
    request.durationStr,
    request.barSize,
    request.whatToShow,
    request.useRTH,
  ]);
  return {
    identity,
    bucket,
    weight: request.whatToShow === 'BID_ASK' ? 2 : 1,
    barSeconds: ibBarSeconds(request.barSize),
    ...(request.pacing === undefined ? {} : { policy: request.pacing }),
  };
}

/** The connection-level spec of a historical request: send, cancel, and bar accumulation. */
export function historicalRequestSpec(
  request: HistoricalRequest,
  options: { timeoutMs: number; signal?: AbortSignal },
): IbRequestSpec<IbBar[]> {
  const bars: IbBar[] = [];
  return {
    kind: 'historical',
    description: describeHistorical(request),
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    send: (api, reqId) =>
      api.reqHistoricalData(
        reqId,
        request.contract,
        request.endDateTime,
        request.durationStr,
        request.barSize,
        request.whatToShow,
        request.useRTH ? 1 : 0,
        FORMAT_DATE_EPOCH,
        false,
      ),
    cancel: (api, reqId) => api.cancelHistoricalData(reqId),
    onEvent: (event, controls) => {
      if (event.type === 'historicalEnd') {
        controls.resolve(bars);
      } else if (event.type === 'historicalBar') {
        try {
          bars.push({
            time: parseIbBarTime(event.time),
            open: event.open,
            high: event.high,
            low: event.low,
            close: event.close,
            volume: event.volume !== undefined && event.volume > 0 ? event.volume : 0,
          });
        } catch (error) {
          controls.reject(error as KtrdrError);
        }
      }
    },
  };
}
