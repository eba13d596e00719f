/** Contract details of a resolved contract, in the shape the CONTRACT_DATA encoder writes. */
import { tradingHoursText } from '../market/trading-hours';
import type { ContractDetailsFields } from '../protocol/encoder';
import type { ResolvedContract } from './contract-resolver';

/** Builds the CONTRACT_DATA content; trading and liquid hours cover the week from `nowSeconds`. */
export function contractDetailsFor(resolved: ResolvedContract, nowSeconds: number): ContractDetailsFields {
  const { instrument, future, continuous } = resolved;
  const isStock = instrument.secType === 'STK';
  const isForex = instrument.secType === 'CASH';
  return {
    symbol: instrument.ibSymbol,
    secType: continuous ? 'CONTFUT' : instrument.secType,
    lastTradeDateOrContractMonth: future?.lastTradeDate ?? '',
    lastTradeDate: future?.lastTradeDate ?? '',
    strike: 0,
    right: '',
    exchange: instrument.exchange,
    currency: instrument.currency,
    localSymbol: future?.localSymbol ?? instrument.localSymbol,
    marketName: instrument.marketName,
    tradingClass: instrument.tradingClass,
    conId: future?.conId ?? instrument.conId,
    minTick: instrument.minTick,
    multiplier: instrument.multiplier === undefined ? '' : String(instrument.multiplier),
    orderTypes: instrument.orderTypes,
    validExchanges: instrument.validExchanges,
    priceMagnifier: 1,
    underConId: instrument.underConId,
    longName: instrument.longName,
    primaryExch: instrument.primaryExchange,
    contractMonth: future?.contractMonth ?? '',
    industry: instrument.industry,
    category: instrument.category,
    subcategory: instrument.subcategory,
    timeZoneId: instrument.timeZoneId,
    tradingHours: tradingHoursText(instrument.sessionKind, nowSeconds, false),
    liquidHours: tradingHoursText(instrument.sessionKind, nowSeconds, true),
    secIds: instrument.secIds,
    aggGroup: isStock ? 1 : isForex ? 4 : 2,
    underSymbol: instrument.underSymbol,
    underSecType: instrument.underSecType,
    marketRuleIds: instrument.marketRuleIds,
    realExpirationDate: future?.lastTradeDate ?? '',
    stockType: instrument.stockType,
    minSize: isStock ? 0.0001 : 1,
    sizeIncrement: isStock ? 0.0001 : 1,
    suggestedSizeIncrement: isStock ? 100 : 1,
  };
}
