import type { OhlcvColumns } from '../../src/indicators/ohlcv';

/**
 * Deterministic pseudo-random numbers (mulberry32): the same seed gives the same series on every
 * machine, so cross-checks and split boundaries are reproducible.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options for {@link randomWalkBars}. */
export interface RandomWalkOptions {
  bars?: number;
  seed?: number;
  startPrice?: number;
  /** Per-bar volatility of log returns. */
  volatility?: number;
  /** Bar spacing in milliseconds (default one hour). */
  stepMs?: number;
  /**
   * Each open moves away from the previous close by up to `openGap * volatility / 2` (default 0:
   * open = previous close). A backtest fills at the next open, so its tests want gaps.
   */
  openGap?: number;
}

/**
 * Hourly OHLCV bars from a geometric random walk: open = previous close (unless `openGap`), high/low
 * straddle the open and close by a random wick, volume random in [1000, 11000).
 */
export function randomWalkBars(options: RandomWalkOptions = {}): OhlcvColumns {
  const n = options.bars ?? 600;
  const random = seededRandom(options.seed ?? 42);
  const volatility = options.volatility ?? 0.01;
  const step = options.stepMs ?? 3_600_000;
  const bars: OhlcvColumns = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = options.startPrice ?? 100;
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    // No draw without a gap: the series of every other caller stays as it was.
    const open =
      options.openGap === undefined ? price : price * (1 + (random() - 0.5) * volatility * options.openGap);
    // Sum of uniforms ~ normal enough for a test series, and cheap.
    const shock = (random() + random() + random() - 1.5) * 2 * volatility;
    const close = open * Math.exp(shock);
    bars.time[i] = start + i * step;
    bars.open[i] = open;
    bars.close[i] = close;
    bars.high[i] = Math.max(open, close) * (1 + random() * volatility * 0.5);
    bars.low[i] = Math.min(open, close) * (1 - random() * volatility * 0.5);
    bars.volume[i] = 1000 + Math.floor(random() * 10_000);
    price = close;
  }
  return bars;
}

/** Bars whose open/high/low/close all equal `closes` (for hand-built label and zigzag tests). */
export function barsFromCloses(closes: readonly number[]): OhlcvColumns {
  const column = Float64Array.from(closes);
  return {
    time: Float64Array.from(closes, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000),
    open: column.slice(),
    high: column.slice(),
    low: column.slice(),
    close: column.slice(),
    volume: new Float64Array(closes.length).fill(1000),
  };
}
