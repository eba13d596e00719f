/**
 * reqSecDefOptParams (78): the expiries and strikes of a stock's option chain (the same ones its
 * OPT contract details list), one SECURITY_DEFINITION_OPTION_PARAMETER (75) per exchange, then the
 * end (76). An unknown underlying gets the end alone, an empty list.
 */
import type { SecDefOptParamsRequest } from '../protocol/decoder';
import { optionParameterEndFields, optionParameterFields } from '../protocol/encoder-extra';
import type { WireField } from '../protocol/framing';
import type { SimulatorContext } from './context';
import { optionParameters } from './option-chain';

/** Exchanges listed for every chain (IB lists each exchange the options trade on). */
const OPTION_PARAMETER_EXCHANGES = ['SMART', 'CBOE'];

/** The messages answering a reqSecDefOptParams. */
export function optionParameterAnswer(ctx: SimulatorContext, request: SecDefOptParamsRequest): WireField[][] {
  const now = ctx.nowSeconds();
  const byConId = ctx.universe
    .list()
    .find((i) => request.underlyingConId > 0 && i.conId === request.underlyingConId);
  const underlying = byConId ?? ctx.universe.get(request.underlyingSymbol);
  const end = [optionParameterEndFields(request.reqId)];
  if (!underlying || underlying.secType !== 'STK') return end;
  const price = ctx.bars.latestClose(underlying, now);
  if (price === undefined) return end;
  const { expiries, strikes } = optionParameters(price, Math.floor(now / 86400));
  return [
    ...OPTION_PARAMETER_EXCHANGES.map((exchange) =>
      optionParameterFields(
        request.reqId,
        exchange,
        underlying.conId,
        underlying.ibSymbol,
        expiries,
        strikes,
      ),
    ),
    ...end,
  ];
}
