/**
 * Bars as parallel columns, one typed array per field, all the same length, oldest bar first.
 * `@ktrdr/data`'s `BarFrame.columns()` returns exactly this shape; it is restated here so that the
 * feature pipeline does not depend on the data package.
 */
export interface OhlcvColumns {
  /** Bar open time, epoch milliseconds UTC. */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * Price series an indicator can read. `hl2`, `hlc3` and `ohlc4` are the usual composite prices
 * ((high+low)/2, typical price, and the four-price average).
 */
export type PriceSource = 'open' | 'high' | 'low' | 'close' | 'volume' | 'hl2' | 'hlc3' | 'ohlc4';

/** Every accepted {@link PriceSource}, for validation messages. */
export const PRICE_SOURCES: readonly PriceSource[] = [
  'open',
  'high',
  'low',
  'close',
  'volume',
  'hl2',
  'hlc3',
  'ohlc4',
];

/** The number of bars in `bars` (the length of its `close` column). */
export function barCount(bars: OhlcvColumns): number {
  return bars.close.length;
}

/**
 * The series `source` names. Plain fields are returned as-is (not copied); composites are computed.
 */
export function priceSeries(bars: OhlcvColumns, source: PriceSource): Float64Array {
  switch (source) {
    case 'open':
    case 'high':
    case 'low':
    case 'close':
    case 'volume':
      return bars[source];
    case 'hl2':
      return combine(bars, (i) => (bars.high[i]! + bars.low[i]!) / 2);
    case 'hlc3':
      return combine(bars, (i) => (bars.high[i]! + bars.low[i]! + bars.close[i]!) / 3);
    case 'ohlc4':
      return combine(bars, (i) => (bars.open[i]! + bars.high[i]! + bars.low[i]! + bars.close[i]!) / 4);
  }
}

function combine(bars: OhlcvColumns, at: (i: number) => number): Float64Array {
  const out = new Float64Array(barCount(bars));
  for (let i = 0; i < out.length; i++) out[i] = at(i);
  return out;
}
