import { loadStoqeyIb } from './load-stoqey-ib';

/**
 * The slice of `@stoqey/ib`'s raw `IBApi` this transport uses, typed with plain strings.
 *
 * Why a port instead of `IBApi` itself: `IBApi`'s event overloads are keyed by a TS enum and its
 * contract fields by enums too, which forces a runtime import of the whole library (and its rxjs
 * based IBApiNext) wherever the types are used. Keeping the type here lets the library load lazily
 * on first connect, and lets unit tests drive a fake.
 */
export interface IbApiPort {
  connect(clientId?: number): unknown;
  disconnect(): unknown;
  readonly isConnected: boolean;
  readonly serverVersion: number;
  on(event: 'connected' | 'disconnected', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error, code: number, reqId: number) => void): unknown;
  on(event: 'info', listener: (message: string, code: number) => void): unknown;
  on(event: 'nextValidId', listener: (orderId: number) => void): unknown;
  on(event: 'managedAccounts', listener: (accountsList: string) => void): unknown;
  on(event: 'server', listener: (serverVersion: number, connectionTime: string) => void): unknown;
  on(
    event: 'historicalData',
    listener: (
      reqId: number,
      time: string,
      open: number,
      high: number,
      low: number,
      close: number,
      volume: number | undefined,
    ) => void,
  ): unknown;
  on(event: 'contractDetails', listener: (reqId: number, details: IbContractDetails) => void): unknown;
  on(event: 'contractDetailsEnd', listener: (reqId: number) => void): unknown;
  on(event: 'headTimestamp', listener: (reqId: number, headTimestamp: string) => void): unknown;
  on(event: 'currentTime', listener: (time: number) => void): unknown;
  on(event: 'symbolSamples', listener: (reqId: number, samples: IbContractDescription[]) => void): unknown;
  /** Emitted by `@stoqey/ib` as each message is written to the socket (after its own rate limiter). */
  on(event: 'sent', listener: (tokens: unknown[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  reqHistoricalData(
    reqId: number,
    contract: IbContract,
    endDateTime: string | undefined,
    durationStr: string,
    barSizeSetting: string,
    whatToShow: string,
    useRTH: number | boolean,
    formatDate: number,
    keepUpToDate: boolean,
  ): unknown;
  cancelHistoricalData(reqId: number): unknown;
  reqHeadTimestamp(
    reqId: number,
    contract: IbContract,
    whatToShow: string,
    useRTH: boolean,
    formatDate: number,
  ): unknown;
  cancelHeadTimestamp(reqId: number): unknown;
  reqContractDetails(reqId: number, contract: IbContract): unknown;
  reqCurrentTime(): unknown;
  /** Symbol search (message 81); optional so that fakes written before it need not implement it. */
  reqMatchingSymbols?(reqId: number, pattern: string): unknown;
}

/** One entry of IB's SYMBOL_SAMPLES answer to a symbol search. */
export interface IbContractDescription {
  contract?: {
    conId?: number;
    symbol?: string;
    secType?: string;
    primaryExch?: string;
    currency?: string;
    description?: string;
    issuerId?: string;
  };
  derivativeSecTypes?: string[];
}

/** An IB contract as sent on the wire (the fields this transport fills). */
export interface IbContract {
  conId?: number;
  symbol?: string;
  secType?: string;
  lastTradeDateOrContractMonth?: string;
  exchange?: string;
  primaryExch?: string;
  currency?: string;
  localSymbol?: string;
  tradingClass?: string;
  multiplier?: number;
  includeExpired?: boolean;
}

/** The contract details fields this transport reads from IB's CONTRACT_DATA message. */
export interface IbContractDetails {
  contract: IbContract & { lastTradeDate?: string };
  marketName?: string;
  minTick?: number;
  longName?: string;
  contractMonth?: string;
  timeZoneId?: string;
  tradingHours?: string;
  liquidHours?: string;
  validExchanges?: string;
  realExpirationDate?: string;
  stockType?: string;
}

/** What {@link IbApiFactory} is given: always host, port and client id (the library ships no defaults). */
export interface IbApiCreateOptions {
  host: string;
  port: number;
  clientId: number;
}

/** Creates one raw API object per connection attempt. */
export type IbApiFactory = (options: IbApiCreateOptions) => IbApiPort | Promise<IbApiPort>;

/**
 * The default factory: `@stoqey/ib`'s raw `IBApi`, imported on first use so importing `@ktrdr/data`
 * stays cheap for commands that never talk to IB, and without its hidden `.env` loading (see
 * {@link loadStoqeyIb}).
 */
export const createStoqeyIbApi: IbApiFactory = async ({ host, port, clientId }) => {
  const { IBApi } = await loadStoqeyIb();
  return new IBApi({ host, port, clientId }) as unknown as IbApiPort;
};
