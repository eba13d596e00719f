/**
 * Second bars inside one minute bar. Generated on demand (only short ranges may request them) and
 * constrained so they aggregate back to the minute exactly: the path starts at the minute's open,
 * ends at its close, stays inside [low, high] and touches both; volume and trade count are split
 * into integers that sum to the minute's.
 */
import type { Bar } from './bar';
import { createRng, mixHash } from './random';
import type { Rng } from './random';
import type { TickRounder } from './ticks';

const SECONDS = 60;

function splitInteger(total: number, parts: number, rng: Rng): number[] {
  const weights = Array.from({ length: parts }, () => Math.exp(0.8 * rng.normal()));
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum));
  let remainder = total - shares.reduce((a, b) => a + b, 0);
  while (remainder > 0) {
    const index = rng.int(parts);
    shares[index] = (shares[index] ?? 0) + 1;
    remainder -= 1;
  }
  return shares;
}

/** The 60 one-second bars of a minute bar (`seed` already mixes seed and symbol). */
export function splitMinuteIntoSeconds(seed: number, minute: Bar, rounder: TickRounder): Bar[] {
  const rng = createRng(mixHash(seed, Math.floor(minute.time / 60), 13));
  const { open, high, low, close } = minute;
  const range = high - low;
  // Brownian bridge from open to close, clamped into the minute's range.
  const path = new Float64Array(SECONDS + 1);
  let walk = 0;
  const steps = new Float64Array(SECONDS + 1);
  for (let i = 1; i <= SECONDS; i += 1) {
    walk += rng.normal() * (range / 6);
    steps[i] = walk;
  }
  for (let i = 0; i <= SECONDS; i += 1) {
    const t = i / SECONDS;
    const value = open + (close - open) * t + (steps[i] ?? 0) - t * walk;
    path[i] = Math.min(high, Math.max(low, rounder.round(value)));
  }
  path[0] = open;
  path[SECONDS] = close;
  const highIndex = rng.int(SECONDS);
  let lowIndex = rng.int(SECONDS);
  if (lowIndex === highIndex) lowIndex = (lowIndex + 1) % SECONDS;
  const volumes = splitInteger(Math.max(0, minute.volume), SECONDS, rng);
  const counts = splitInteger(Math.max(0, minute.count), SECONDS, rng);
  const bars: Bar[] = [];
  for (let i = 0; i < SECONDS; i += 1) {
    const o = path[i] ?? open;
    const c = path[i + 1] ?? close;
    const jitter = Math.abs(rng.normal()) * (range / 12);
    const h = i === highIndex ? high : Math.min(high, rounder.ceil(Math.max(o, c) + jitter));
    const l = i === lowIndex ? low : Math.max(low, rounder.floor(Math.min(o, c) - jitter));
    bars.push({
      time: minute.time + i,
      open: o,
      high: h,
      low: l,
      close: c,
      volume: volumes[i] ?? 0,
      wap: rounder.fine((h + l + 2 * c) / 4, 2),
      count: counts[i] ?? 0,
    });
  }
  return bars;
}
