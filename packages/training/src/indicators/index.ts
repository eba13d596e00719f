export type {
  IndicatorDefinition,
  IndicatorOutputs,
  IndicatorParams,
  ParamKind,
  ParamSpec,
  ParamValue,
} from './types';
export { computeIndicator, findIndicator, indicatorNames, listIndicators } from './registry';
export { adx, type AdxLines } from './adx';
export { atr, natr, trueRange } from './atr';
export { bollingerBands, type BollingerLines } from './bollinger-bands';
export { cci } from './cci';
export { ema } from './ema';
export { macd, type MacdLines } from './macd';
export { momentum } from './momentum';
export { obv } from './obv';
export { roc } from './roc';
export { rsi } from './rsi';
export { sma } from './sma';
export { stochastic, type StochasticLines } from './stochastic';
export { vwap } from './vwap';
export { williamsR } from './williams-r';
export { zigzag, zigzagPivots, type ZigzagPivots } from './zigzag';
