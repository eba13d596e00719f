import { calendarForInstrument } from '../calendar/exchange-calendars';
import { BarFrame } from '../domain/bar-frame';
import { DAY_MS } from '../domain/civil-date';
import type { InstrumentType } from '../domain/symbols';
import type { IbDuration } from '../ib/ib-time';
import type { PacingPolicy } from '../ib/pacing-types';
import { sessionDuration } from '../ib/request-spans';
import type { IbClient, IbClientOptions } from '../ib/ib-client';
import type { BarsRequest, HistoricalDataSource, SourceBars, SourceHealth } from './historical-data-source';
import type { ContractInfo } from './ib-host-contract';

/** Options of {@link createIbDataSource}. */
export interface IbDataSourceOptions extends IbClientOptions {
  /**
   * Regular trading hours only. Default: true for stocks (the sessions the trading calendar expects,
   * so gap analysis finds only real holes), false for forex and futures (their whole sessions).
   */
  useRTH?: boolean;
  /** Longest wait for the gateway in `health()`, ms (default 2000): a down gateway answers "down", not never. */
  healthTimeoutMs?: number;
}

/**
 * The span to ask IB for so that its answer covers `[start, end)`. Under a day, seconds (`N S`)
 * are exact. From a day up, IB counts `N D` in trading sessions back from `end`, not in 24-hour
 * periods: `1 D` ending Tuesday 10:30 is Tuesday's session only, so a 24-hour range from Monday
 * 10:30 would lose Monday afternoon. A range of `d` days touches at most `ceil(d) + 1` sessions;
 * asking for that many over-fetches a little (trimmed by the slice) and never misses one.
 */
function durationDaysFor(start: number, end: number): number {
  const days = (end - start) / DAY_MS;
  if (days < 1) return Math.max(days, 1 / 86_400);
  return Math.ceil(days) + 1;
}

/**
 * The duration to ask for `request`. Under `strict`, whole days as above (the behaviour before
 * pacing policies). Under `practical`, segments are planned in trading sessions up to the
 * practical cap, so the duration counts the sessions of the built-in calendar (plus one as a
 * margin): calendar days would ask for `7 D` for a Monday-to-Friday week, past the cap.
 */
function durationFor(request: BarsRequest, policy: PacingPolicy, useRth: boolean): IbDuration {
  const days = { days: durationDaysFor(request.start, request.end) };
  if (policy === 'strict') return days;
  const type = request.instrumentType ?? 'STK';
  const calendar = calendarForInstrument(type, { hours: useRth ? 'regular' : 'extended' });
  return sessionDuration(request.timeframe, calendar, request.start, request.end) ?? days;
}

/**
 * The direct-IB data source: the host-service routes over an `IbClient` (TWS protocol through
 * `@stoqey/ib`). `@stoqey/ib` loads on the first request, so commands that never touch IB never pay
 * for it.
 */
export function createIbDataSource(options: IbDataSourceOptions = {}): HistoricalDataSource {
  let client: Promise<IbClient> | undefined;
  const clientOf = () => {
    client ??= import('../ib/ib-client').then(({ createIbClient }) => createIbClient(options));
    return client;
  };
  const useRthFor = (type: InstrumentType | undefined) =>
    options.useRTH ?? (type === undefined || type === 'STK');
  const defaultPolicy: PacingPolicy = options.pacing?.profile === 'strict' ? 'strict' : 'practical';
  return {
    name: 'ib',
    async fetchBars(request: BarsRequest): Promise<SourceBars> {
      const ib = await clientOf();
      const policy = request.pacing ?? defaultPolicy;
      const useRTH = useRthFor(request.instrumentType);
      const result = await ib.fetchHistoricalBars({
        symbol: request.symbol,
        instrumentType: request.instrumentType,
        timeframe: request.timeframe,
        end: new Date(request.end),
        duration: durationFor(request, policy, useRTH),
        useRTH,
        signal: request.signal,
        // The connection's own profile stays in charge unless the load names a policy.
        ...(request.pacing === undefined ? {} : { pacing: request.pacing }),
      });
      // IB answers whole days (or more): keep what was asked for.
      const frame = BarFrame.fromRows(result.bars).slice(request.start, request.end);
      return { frame, simulated: result.simulated };
    },
    async getContractInfo(symbol, callOptions = {}): Promise<ContractInfo> {
      const ib = await clientOf();
      const info = await ib.getContractDetails(symbol, callOptions.instrumentType, {
        signal: callOptions.signal,
      });
      return {
        symbol: info.symbol,
        asset_type: info.instrumentType as InstrumentType,
        exchange: info.exchange,
        currency: info.currency,
        description: info.description ?? info.symbol,
        time_zone: info.timeZoneId,
        trading_hours: info.tradingHours,
        liquid_hours: info.liquidHours,
        con_id: info.conId,
        simulated: info.simulated,
      };
    },
    async getHeadTimestamp(symbol, callOptions = {}) {
      const ib = await clientOf();
      const head = await ib.getHeadTimestamp(symbol, {
        instrumentType: callOptions.instrumentType,
        useRTH: useRthFor(callOptions.instrumentType),
        signal: callOptions.signal,
      });
      return head.timestamp.getTime();
    },
    async searchSymbols(pattern, callOptions = {}) {
      const ib = await clientOf();
      const { matches, simulated } = await ib.searchSymbols(pattern, { signal: callOptions.signal });
      return {
        simulated,
        matches: matches.map((match) => ({
          symbol: match.symbol,
          sec_type: match.secType,
          primary_exchange: match.primaryExchange,
          currency: match.currency,
          con_id: match.conId,
          description: match.description,
          derivative_sec_types: match.derivativeSecTypes,
        })),
      };
    },
    async health(): Promise<SourceHealth> {
      const ib = await clientOf();
      await ib
        .connect({ signal: AbortSignal.timeout(options.healthTimeoutMs ?? 2_000) })
        .catch(() => undefined);
      const status = ib.status();
      return {
        connected: status.connected,
        connection_count: status.connectionCount,
        simulated: status.simulated,
        host: status.host,
        port: status.port,
        client_id: status.clientId,
        server_version: status.serverVersion,
        pending_requests: status.pendingRequests,
      };
    },
    async estimateFetchMs(request) {
      const ib = await clientOf();
      return ib.estimateHistoricalFetchMs({
        symbol: request.symbol,
        instrumentType: request.instrumentType,
        requests: request.requests,
        concurrency: request.concurrency,
        timeframe: request.timeframe,
        ...(request.pacing === undefined ? {} : { pacing: request.pacing }),
        signal: request.signal,
      });
    },
    async close() {
      if (client !== undefined) (await client).close();
    },
  };
}
