import { priceSeries } from './ohlcv';
import { numberParam, sourceParam } from './param-values';
import { periodSpec, SOURCE_SPEC } from './param-specs';
import { rollingMean } from './smoothing';
import type { IndicatorDefinition, IndicatorParams, ParamSpec } from './types';

/** The Bollinger lines plus the relative band width. */
export interface BollingerLines {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
  /** (upper - lower) / middle: Python KTRDR's `bb_width` and `BollingerBandWidth`. */
  width: Float64Array;
}

/**
 * Bollinger Bands: SMA(period) +/- `stdDev` population standard deviations of the same window, as
 * John Bollinger, TA-Lib and technicalindicators define it. Python KTRDR used pandas' sample standard
 * deviation, which is wider by sqrt(period / (period - 1)) (2.6% at period 20).
 */
export function bollingerBands(values: Float64Array, period: number, stdDev: number): BollingerLines {
  const n = values.length;
  const middle = rollingMean(values, period);
  const upper = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  const width = new Float64Array(n).fill(NaN);
  for (let i = period - 1; i < n; i++) {
    const mean = middle[i]!;
    if (Number.isNaN(mean)) continue;
    // Two-pass variance over the window: running sums of squares lose digits on high-priced series.
    let sumSq = 0;
    for (let j = i - period + 1; j <= i; j++) sumSq += (values[j]! - mean) ** 2;
    const band = stdDev * Math.sqrt(sumSq / period);
    upper[i] = mean + band;
    lower[i] = mean - band;
    width[i] = (2 * band) / mean;
  }
  return { upper, middle, lower, width };
}

const BOLLINGER_PARAMS: readonly ParamSpec[] = [
  periodSpec(20),
  {
    name: 'std_dev',
    aliases: ['multiplier', 'num_std'],
    kind: 'number',
    default: 2,
    min: 0,
    max: 100,
    description: 'band distance in standard deviations',
  },
  SOURCE_SPEC,
];

function computeBands(params: IndicatorParams, values: Float64Array): BollingerLines {
  return bollingerBands(values, numberParam(params, 'period'), numberParam(params, 'std_dev'));
}

/** Registry entry for {@link bollingerBands}; fuzzy sets read the band width by default. */
export const BOLLINGER_BANDS_DEFINITION: IndicatorDefinition = {
  name: 'BollingerBands',
  aliases: ['bbands', 'bollinger', 'bb'],
  description: 'Bollinger Bands: upper, middle, lower and relative width',
  params: BOLLINGER_PARAMS,
  outputs: ['upper', 'middle', 'lower', 'width'],
  fuzzyInput: 'width',
  compute(bars, params) {
    const lines = computeBands(params, priceSeries(bars, sourceParam(params)));
    return { upper: lines.upper, middle: lines.middle, lower: lines.lower, width: lines.width };
  },
};

/** Python KTRDR's separate `BollingerBandWidth` indicator: the width line alone. */
export const BOLLINGER_BAND_WIDTH_DEFINITION: IndicatorDefinition = {
  name: 'BollingerBandWidth',
  aliases: ['bb_width', 'bbw'],
  description: 'Bollinger band width, (upper - lower) / middle',
  params: BOLLINGER_PARAMS,
  outputs: ['value'],
  fuzzyInput: 'value',
  compute: (bars, params) => ({ value: computeBands(params, priceSeries(bars, sourceParam(params))).width }),
};
