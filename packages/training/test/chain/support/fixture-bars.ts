import { BarFrame, CsvStore } from '@ktrdr/data';
import type { OhlcvColumns } from '../../../src/indicators/ohlcv';
import { seededRandom } from '../../support/random-walk-bars';

/** Options of {@link regimeBars}. */
export interface RegimeBarsOptions {
  /** Number of hourly bars (default 3000: about four months around the clock). */
  bars?: number;
  seed?: number;
  /** Drift of the log return per bar while a regime lasts (default 0.004). */
  drift?: number;
  /** Scale of the per-bar noise (default 0.004). */
  noise?: number;
  /** Chance per bar that the regime flips between up and down (default 0.06: ~17-bar swings). */
  switchProbability?: number;
  /** First bar time (default 2024-01-01T00:00Z). */
  start?: number;
}

/**
 * Hourly OHLCV bars from a seeded regime-switching walk, in the spirit of ib-sim's price process:
 * trends that persist for a few dozen bars, then flip, under per-bar noise. Trends make ZigZag
 * swings predictable from momentum features, so a model trained on them has something to learn;
 * the seed makes the series (and therefore the labels and the baseline) identical on every run.
 */
export function regimeBars(options: RegimeBarsOptions = {}): OhlcvColumns {
  const n = options.bars ?? 3000;
  const random = seededRandom(options.seed ?? 5);
  const drift = options.drift ?? 0.004;
  const noise = options.noise ?? 0.004;
  const switchProbability = options.switchProbability ?? 0.06;
  const start = options.start ?? Date.UTC(2024, 0, 1);
  const bars: OhlcvColumns = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  let direction = 1;
  for (let i = 0; i < n; i++) {
    if (random() < switchProbability) direction = -direction;
    const open = price;
    const shock = direction * drift + (random() + random() + random() - 1.5) * 2 * noise;
    const close = open * Math.exp(shock);
    bars.time[i] = start + i * 3_600_000;
    bars.open[i] = open;
    bars.close[i] = close;
    bars.high[i] = Math.max(open, close) * (1 + random() * noise * 0.5);
    bars.low[i] = Math.min(open, close) * (1 - random() * noise * 0.5);
    bars.volume[i] = 1000 + Math.floor(random() * 10_000);
    price = close;
  }
  return bars;
}

/** Writes `bars` into the CSV store under `dataDir` as a simulated series, as ib-sim loads would. */
export async function storeSimulatedBars(
  dataDir: string,
  symbol: string,
  timeframe: string,
  bars: OhlcvColumns,
): Promise<void> {
  await new CsvStore({ dataDir }).save(symbol, timeframe, BarFrame.fromColumns(bars), { simulated: true });
}
