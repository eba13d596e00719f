/**
 * bench/multi-timeframe: feature building for a strategy read at 3 timeframes (1h, 4h, 1d) over a
 * year of hourly bars, against the same strategy at 1h alone. Target: multi <= 2x single. Both are
 * `buildFeatures` end to end (indicators, fuzzy sets, lags, scaling); the multi run also computes
 * the 4h and daily indicators on their own bars and carries them onto the hourly rows. Rounds
 * alternate the two so that noise from other users of the machine hits both; figures are medians.
 *
 *   npx tsx bench/multi-timeframe/run.ts [--rounds 9]
 */
import {
  buildFeatures,
  type OhlcvColumns,
  type TimeframeSeries,
} from '../../packages/training/src/features/index';
import { parseStrategy } from '../../packages/training/src/strategy/index';

const HOUR = 3_600_000;
const BARS = 365 * 24; // a year of hourly bars, around the clock (a forex pair)
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const rounds = arg('--rounds', 9);

// The shipped sample's shape: RSI, MACD, SMA-distance-like inputs, 3 sets each, 2 lags, scaled.
const strategy = parseStrategy(`
name: bench-mtf
indicators:
  - name: rsi
    period: 14
  - name: macd
    fast_period: 12
    slow_period: 26
    signal_period: 9
  - name: sma
    period: 20
fuzzy_sets:
  rsi:
    oversold: [0, 20, 35]
    neutral: [30, 50, 70]
    overbought: [65, 80, 100]
  macd.histogram:
    negative: { type: gaussian, parameters: [-1, 0.5] }
    neutral: { type: gaussian, parameters: [0, 0.3] }
    positive: { type: gaussian, parameters: [1, 0.5] }
  sma.value: # the average itself, in price units
    low: [0, 50, 100]
    mid: [80, 100, 120]
    high: [100, 150, 1000]
model:
  features: { lookback_periods: 2, scale_features: true }
training:
  labels: { zigzag_threshold: 0.02, label_lookahead: 20 }
`);

function walk(n: number): OhlcvColumns {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const bars = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const close = price * Math.exp((random() - 0.5) * 0.01);
    bars.time[i] = Date.UTC(2025, 0, 1) + i * HOUR;
    bars.open[i] = price;
    bars.close[i] = close;
    bars.high[i] = Math.max(price, close) * (1 + random() * 0.002);
    bars.low[i] = Math.min(price, close) * (1 - random() * 0.002);
    bars.volume[i] = 1000 + random() * 1000;
    price = close;
  }
  return bars;
}

function resample(bars: OhlcvColumns, barMs: number): OhlcvColumns {
  const starts: number[] = [];
  for (let i = 0; i < bars.time.length; i++) {
    if (i === 0 || Math.floor(bars.time[i]! / barMs) !== Math.floor(bars.time[i - 1]! / barMs))
      starts.push(i);
  }
  const pick = (at: (from: number, to: number) => number) =>
    Float64Array.from(starts, (from, k) => at(from, starts[k + 1] ?? bars.time.length));
  return {
    time: pick((from) => Math.floor(bars.time[from]! / barMs) * barMs),
    open: pick((from) => bars.open[from]!),
    high: pick((from, to) => Math.max(...bars.high.subarray(from, to))),
    low: pick((from, to) => Math.min(...bars.low.subarray(from, to))),
    close: pick((_, to) => bars.close[to - 1]!),
    volume: pick((from, to) => bars.volume.subarray(from, to).reduce((a, b) => a + b, 0)),
  };
}

const hourly = walk(BARS);
const series: TimeframeSeries[] = [
  { timeframe: '1h', barMs: HOUR, bars: hourly },
  { timeframe: '4h', barMs: 4 * HOUR, bars: resample(hourly, 4 * HOUR) },
  { timeframe: '1d', barMs: 24 * HOUR, bars: resample(hourly, 24 * HOUR) },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function time(run: () => { rows: number; columns: readonly string[] }): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

const single = () => buildFeatures(hourly, strategy);
const multi = () => buildFeatures(series, strategy);
// Warm-up (JIT), and the shapes for the record.
const shapes = { single: single(), multi: multi() };
const singleMs: number[] = [];
const multiMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  singleMs.push(time(single));
  multiMs.push(time(multi));
}
const s = median(singleMs);
const m = median(multiMs);
console.log(`hourly bars: ${BARS}, rounds: ${rounds} (medians), Node ${process.version}`);
console.log(
  `single (1h):          ${s.toFixed(1)} ms  rows ${shapes.single.rows} x ${shapes.single.columns.length}`,
);
console.log(
  `multi (1h, 4h, 1d):   ${m.toFixed(1)} ms  rows ${shapes.multi.rows} x ${shapes.multi.columns.length}`,
);
console.log(`ratio of the medians:      ${(m / s).toFixed(2)}x (target <= 2x)`);
const ratios = multiMs.map((ms, r) => ms / singleMs[r]!);
console.log(`median of per-round ratios: ${median(ratios).toFixed(2)}x`);
