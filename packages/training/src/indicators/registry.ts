import type { OhlcvColumns } from './ohlcv';
import { ADX_DEFINITION } from './adx';
import { ATR_DEFINITION } from './atr';
import { BOLLINGER_BAND_WIDTH_DEFINITION, BOLLINGER_BANDS_DEFINITION } from './bollinger-bands';
import { CCI_DEFINITION } from './cci';
import { EMA_DEFINITION } from './ema';
import { MACD_DEFINITION } from './macd';
import { MOMENTUM_DEFINITION } from './momentum';
import { OBV_DEFINITION } from './obv';
import { ROC_DEFINITION } from './roc';
import { RSI_DEFINITION } from './rsi';
import { SMA_DEFINITION } from './sma';
import { STOCHASTIC_DEFINITION } from './stochastic';
import { VWAP_DEFINITION } from './vwap';
import { WILLIAMS_R_DEFINITION } from './williams-r';
import { ZIGZAG_DEFINITION } from './zigzag';
import { AD_LINE_DEFINITION } from './ad-line';
import { AROON_DEFINITION } from './aroon';
import { CMF_DEFINITION } from './cmf';
import { DISTANCE_FROM_MA_DEFINITION } from './distance-from-ma';
import { DONCHIAN_CHANNELS_DEFINITION } from './donchian-channels';
import { FISHER_TRANSFORM_DEFINITION } from './fisher-transform';
import { ICHIMOKU_DEFINITION } from './ichimoku';
import { KELTNER_CHANNELS_DEFINITION } from './keltner-channels';
import { MFI_DEFINITION } from './mfi';
import { PARABOLIC_SAR_DEFINITION } from './parabolic-sar';
import { RVI_DEFINITION } from './rvi';
import { SUPERTREND_DEFINITION } from './supertrend';
import { VOLUME_RATIO_DEFINITION } from './volume-ratio';
import type { IndicatorDefinition, IndicatorOutputs, IndicatorParams } from './types';

/** Every indicator a strategy can name, in the order `listIndicators` reports them. */
const DEFINITIONS: readonly IndicatorDefinition[] = [
  RSI_DEFINITION,
  SMA_DEFINITION,
  EMA_DEFINITION,
  MACD_DEFINITION,
  STOCHASTIC_DEFINITION,
  WILLIAMS_R_DEFINITION,
  ATR_DEFINITION,
  OBV_DEFINITION,
  BOLLINGER_BANDS_DEFINITION,
  BOLLINGER_BAND_WIDTH_DEFINITION,
  CCI_DEFINITION,
  MOMENTUM_DEFINITION,
  ROC_DEFINITION,
  VWAP_DEFINITION,
  ADX_DEFINITION,
  ZIGZAG_DEFINITION,
  // The rest of Python KTRDR's registry, in its order.
  PARABOLIC_SAR_DEFINITION,
  ICHIMOKU_DEFINITION,
  RVI_DEFINITION,
  MFI_DEFINITION,
  AROON_DEFINITION,
  DONCHIAN_CHANNELS_DEFINITION,
  KELTNER_CHANNELS_DEFINITION,
  AD_LINE_DEFINITION,
  CMF_DEFINITION,
  SUPERTREND_DEFINITION,
  FISHER_TRANSFORM_DEFINITION,
  VOLUME_RATIO_DEFINITION,
  DISTANCE_FROM_MA_DEFINITION,
];

/**
 * Lookup key: lower case without `_`, `-` or spaces, so `RSI`, `rsi`, `Williams_R`, `williams-r` and
 * `BollingerBands`/`bollinger_bands` all meet.
 */
function lookupKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

const BY_KEY = new Map<string, IndicatorDefinition>();
for (const definition of DEFINITIONS) {
  for (const name of [definition.name, ...definition.aliases]) BY_KEY.set(lookupKey(name), definition);
}

/** The indicator registered under `name` (case-, `_`- and `-`-insensitive), or undefined. */
export function findIndicator(name: string): IndicatorDefinition | undefined {
  return BY_KEY.get(lookupKey(name));
}

/** All registered indicators. */
export function listIndicators(): readonly IndicatorDefinition[] {
  return DEFINITIONS;
}

/** Canonical names of all registered indicators, for "known indicators are ..." messages. */
export function indicatorNames(): string[] {
  return DEFINITIONS.map((definition) => definition.name);
}

/**
 * Runs the indicator `name` over `bars`. `params` must already be complete and valid (as
 * `StrategyConfig.indicators[i].params` are); use the strategy loader to validate user input.
 * @throws TypeError when no indicator has that name.
 */
export function computeIndicator(
  name: string,
  bars: OhlcvColumns,
  params: IndicatorParams,
): IndicatorOutputs {
  const definition = findIndicator(name);
  if (definition === undefined) {
    throw new TypeError(`Unknown indicator "${name}"; known indicators: ${indicatorNames().join(', ')}`);
  }
  return definition.compute(bars, params);
}
