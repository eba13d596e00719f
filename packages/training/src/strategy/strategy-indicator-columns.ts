import type { IndicatorConfig, StrategyConfig } from './types';
import type { OhlcvColumns } from '../indicators/ohlcv';
import { computeIndicator } from '../indicators/registry';

/**
 * Bars to read before the window asked for, so a strategy's indicators are past their warm-up on
 * its first bar (an EMA or an RSI settles within a few times its period; ZigZag and the like need a
 * swing or two).
 */
export const INDICATOR_WARMUP_BARS = 1000;

/**
 * Outputs on the price's own scale, drawn over the candles; every other output (oscillators,
 * ratios, volumes) gets a pane of its own. Keyed by the registry's canonical indicator name.
 */
const PRICE_SCALED: Readonly<Record<string, readonly string[]>> = {
  SMA: ['value'],
  EMA: ['value'],
  BollingerBands: ['upper', 'middle', 'lower'],
  KeltnerChannels: ['upper', 'middle', 'lower'],
  DonchianChannels: ['upper', 'middle', 'lower'],
  Ichimoku: ['tenkan', 'kijun', 'senkou_a', 'senkou_b', 'chikou'],
  ParabolicSAR: ['value'],
  SuperTrend: ['trend'],
  VWAP: ['value'],
};

/** True when `output` of `indicator` is in price units (a moving average of volume is not). */
function isPriceScaled(indicator: IndicatorConfig, output: string): boolean {
  if (indicator.params['source'] === 'volume') return false;
  return PRICE_SCALED[indicator.indicator]?.includes(output) ?? false;
}

/** One column of {@link StrategyIndicatorColumns}. */
export interface IndicatorColumn {
  /** `{key}.{output}`, the column's name in `columns` (`rsi.value`, `macd.signal`). */
  column: string;
  /** The strategy's name for the indicator (`feature_id`, else `name`). */
  key: string;
  /** Canonical registry name (`RSI`, `MACD`). */
  indicator: string;
  output: string;
  /** True for price-scaled outputs, drawn over the candles. */
  overlay: boolean;
}

/** A strategy's indicator values over the last bars, as columns ready for JSON. */
export interface StrategyIndicatorColumns {
  rows: number;
  outputs: IndicatorColumn[];
  /** `time` (epoch ms UTC), then one column per output; `null` where a value is not defined yet (warm-up). */
  columns: Record<string, (number | null)[]>;
}

/**
 * The values of `strategy`'s indicators over the last `limit` of `bars`, computed over all of
 * `bars` (give it {@link INDICATOR_WARMUP_BARS} more than the window, so the window starts past
 * the warm-up): what a chart draws beside the candles.
 */
export function strategyIndicatorColumns(
  strategy: Pick<StrategyConfig, 'indicators'>,
  bars: OhlcvColumns,
  limit: number,
): StrategyIndicatorColumns {
  const first = Math.max(0, bars.time.length - limit);
  const outputs: IndicatorColumn[] = [];
  const columns: Record<string, (number | null)[]> = { time: Array.from(bars.time.subarray(first)) };
  for (const indicator of strategy.indicators) {
    const computed = computeIndicator(indicator.indicator, bars, indicator.params);
    for (const [output, values] of Object.entries(computed)) {
      const column = `${indicator.key}.${output}`;
      outputs.push({
        column,
        key: indicator.key,
        indicator: indicator.indicator,
        output,
        overlay: isPriceScaled(indicator, output),
      });
      // JSON has no NaN: warm-up bars answer null.
      columns[column] = Array.from(values.subarray(first), (v) => (Number.isFinite(v) ? v : null));
    }
  }
  return { rows: bars.time.length - first, outputs, columns };
}
