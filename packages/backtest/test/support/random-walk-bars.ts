import type { OhlcvColumns } from '@ktrdr/training';

/** Deterministic pseudo-random numbers (mulberry32): the same seed, the same series everywhere. */
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

/** Bars of a geometric random walk, `stepMs` apart from 2024-01-01 (default one hour). */
export function randomWalkBars(
  options: { bars?: number; seed?: number; stepMs?: number; volatility?: number } = {},
): OhlcvColumns {
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
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price * (1 + (random() - 0.5) * volatility * 0.2);
    const close = open * Math.exp((random() + random() + random() - 1.5) * 2 * volatility);
    bars.time[i] = Date.UTC(2024, 0, 1) + i * step;
    bars.open[i] = open;
    bars.close[i] = close;
    bars.high[i] = Math.max(open, close) * (1 + random() * volatility * 0.5);
    bars.low[i] = Math.min(open, close) * (1 - random() * volatility * 0.5);
    bars.volume[i] = 1000 + Math.floor(random() * 10_000);
    price = close;
  }
  return bars;
}
