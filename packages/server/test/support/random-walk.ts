import { BarFrame } from '@ktrdr/data';

/**
 * Hourly bars of a seeded geometric random walk (mulberry32), 1% volatility: enough structure for
 * the sample strategy's indicators and ZigZag labels, the same on every machine.
 */
export function randomWalkFrame(count: number, seed = 7, from = Date.UTC(2023, 0, 2, 14)): BarFrame {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rows = [];
  let close = 100;
  for (let i = 0; i < count; i++) {
    const open = close;
    close = open * Math.exp((random() - 0.5) * 0.02);
    const wick = open * 0.003 * random();
    rows.push({
      time: from + i * 3_600_000,
      open,
      high: Math.max(open, close) + wick,
      low: Math.min(open, close) - wick,
      close,
      volume: 1000 + Math.floor(random() * 10_000),
    });
  }
  return BarFrame.fromRows(rows);
}
