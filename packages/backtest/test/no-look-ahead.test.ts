import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/engine/backtest-settings';
import { evaluate } from '../src/engine/evaluate';
import { modelSignals } from '../src/engine/model-signals';
import { randomWalkBars, seededRandom } from './support/random-walk-bars';
import { sampleModel } from './support/sample-model';

const N = 1500;
const FIRST = 400;
/** Where the future is replaced: several places, so a one-bar peek would show at one of them. */
const CUTS = [700, 850, 1000, 1100, 1250, 1400];

/** `bars` with every bar after `cut` replaced by another random walk's (scaled to join it). */
function withOtherFuture(bars: ReturnType<typeof randomWalkBars>, cut: number) {
  // Each cut gets its own future.
  const n = bars.close.length;
  const other = randomWalkBars({ bars: n, seed: 999 + cut, volatility: 0.03 });
  const out = {
    time: bars.time.slice(),
    open: bars.open.slice(),
    high: bars.high.slice(),
    low: bars.low.slice(),
    close: bars.close.slice(),
    volume: bars.volume.slice(),
  };
  const scale = bars.close[cut]! / other.close[cut]!;
  for (let i = cut + 1; i < n; i++) {
    out.open[i] = other.open[i]! * scale;
    out.high[i] = other.high[i]! * scale;
    out.low[i] = other.low[i]! * scale;
    out.close[i] = other.close[i]! * scale;
    out.volume[i] = other.volume[i]!;
  }
  return out;
}

describe('no look-ahead', () => {
  it('changing future bars changes no earlier signal, decision, trade or equity point', async () => {
    const bars = randomWalkBars({ bars: N, seed: 11 });
    const model = await sampleModel(bars);
    const settings = resolveSettings({ confidence_threshold: 0.34, min_signal_separation: 0 });
    const metrics = { mode: 'standard' as const, periodsPerYear: 1764 };
    const a = await modelSignals(model, bars, N, { symbol: 'AAPL' });
    const runA = evaluate(bars, a, FIRST, settings, metrics);
    expect(runA.simulation.trades.length).toBeGreaterThan(3);
    for (const cut of CUTS) {
      const changed = withOtherFuture(bars, cut);
      const b = await modelSignals(model, changed, N, { symbol: 'AAPL' });
      // The later signals do change (else this test proves nothing)...
      expect([...a.classes.subarray(cut + 30)]).not.toEqual([...b.classes.subarray(cut + 30)]);
      // ... and none up to the cut does.
      expect([...a.classes.subarray(0, cut + 1)]).toEqual([...b.classes.subarray(0, cut + 1)]);
      expect([...a.confidence.subarray(0, cut + 1)]).toEqual([...b.confidence.subarray(0, cut + 1)]);
      const runB = evaluate(changed, b, FIRST, settings, metrics);
      // Every order decided at a close up to the cut's, every equity point up to it, every trade
      // closed by then: the same.
      const upTo = cut - FIRST + 1;
      expect([...runB.simulation.orders.subarray(0, upTo)]).toEqual([
        ...runA.simulation.orders.subarray(0, upTo),
      ]);
      expect([...runB.simulation.equity.subarray(0, upTo)]).toEqual([
        ...runA.simulation.equity.subarray(0, upTo),
      ]);
      const closedBy = (trades: typeof runA.simulation.trades) =>
        trades.filter((t) => t.exitTime <= bars.time[cut]!);
      expect(closedBy(runB.simulation.trades)).toEqual(closedBy(runA.simulation.trades));
    }
  });

  it('the simulation decides at a close from that bar and earlier only, at every cut', () => {
    const bars = randomWalkBars({ bars: 400, seed: 3 });
    const random = seededRandom(8);
    const classes = Int8Array.from({ length: 400 }, () => Math.floor(random() * 3));
    const confidence = Float32Array.from({ length: 400 }, () => 0.3 + random() * 0.7);
    const settings = resolveSettings({ min_signal_separation: 0 });
    const metrics = { mode: 'standard' as const, periodsPerYear: 1764 };
    const a = evaluate(bars, { classes, confidence }, 10, settings, metrics).simulation;
    for (let cut = 20; cut < 390; cut += 7) {
      const future = withOtherFuture(bars, cut);
      // Another future from the next bar on, its first signal surely different and confident.
      const otherClasses = classes.slice();
      const otherConfidence = confidence.slice();
      for (let i = cut + 1; i < 400; i++) {
        otherClasses[i] = (classes[i]! + 1 + Math.floor(random() * 2)) % 3;
        otherConfidence[i] = 0.9;
      }
      const b = evaluate(
        future,
        { classes: otherClasses, confidence: otherConfidence },
        10,
        settings,
        metrics,
      ).simulation;
      const upTo = cut - 10 + 1;
      expect([...b.orders.subarray(0, upTo)], `orders up to bar ${cut}`).toEqual([
        ...a.orders.subarray(0, upTo),
      ]);
      expect([...b.equity.subarray(0, upTo)]).toEqual([...a.equity.subarray(0, upTo)]);
    }
  });

  it('bars before the warm-up have no signal', async () => {
    const bars = randomWalkBars({ bars: 300, seed: 5 });
    const signals = await modelSignals(await sampleModel(randomWalkBars({ bars: 600 })), bars, 300, {
      symbol: 'AAPL',
    });
    expect(signals.classes[0]).toBe(-1);
    expect(signals.classes[299]).not.toBe(-1);
  });
});
