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
export { adLine } from './ad-line';
export { aroon, type AroonLines } from './aroon';
export { cmf } from './cmf';
export { distanceFromMa, MA_TYPES } from './distance-from-ma';
export { donchianChannels, type DonchianLines } from './donchian-channels';
export { fisherTransform, type FisherLines } from './fisher-transform';
export { ichimoku, type IchimokuLines } from './ichimoku';
export { keltnerChannels, type KeltnerLines } from './keltner-channels';
export { mfi } from './mfi';
export { parabolicSar } from './parabolic-sar';
export { rvi, type RviLines } from './rvi';
export { superTrend, type SuperTrendLines } from './supertrend';
export { volumeRatio } from './volume-ratio';
