/** One OHLCV bar; `time` is the bar's start in UTC epoch milliseconds. */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * A bar series as parallel typed arrays of equal length, sorted by strictly increasing `time` (UTC
 * epoch ms). This is the shape numeric code (indicators, training) works on directly.
 */
export interface BarColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Column names of a bar series, in file order. */
export const BAR_FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** One of {@link BAR_FIELDS}. */
export type BarField = (typeof BAR_FIELDS)[number];

/** The value columns (everything but `time`). */
export const PRICE_VOLUME_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Columns accepted by `BarFrame.fromColumns`: typed arrays or plain number arrays. */
export type BarColumnsInput = Record<BarField, ArrayLike<number>>;
