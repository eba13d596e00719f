import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/engine/backtest-settings';
import { evaluate } from '../src/engine/evaluate';
import { modelSignals } from '../src/engine/model-signals';
import { randomWalkBars } from './support/random-walk-bars';
import { sampleModel } from './support/sample-model';

const N = 1500;
const FIRST = 400;
const CUT = 1100;

/** `bars` with every bar after `cut` replaced by another random walk's (scaled to join it). */
function withOtherFuture(bars: ReturnType<typeof randomWalkBars>, cut: number) {
  const other = randomWalkBars({ bars: N, seed: 999, volatility: 0.03 });
  const out = {
    time: bars.time.slice(),
    open: bars.open.slice(),
    high: bars.high.slice(),
    low: bars.low.slice(),
    close: bars.close.slice(),
    volume: bars.volume.slice(),
  };
  const scale = bars.close[cut]! / other.close[cut]!;
  for (let i = cut + 1; i < N; i++) {
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
    const changed = withOtherFuture(bars, CUT);
    const a = await modelSignals(model, bars, N, { symbol: 'AAPL' });
    const b = await modelSignals(model, changed, N, { symbol: 'AAPL' });
    // The later signals do change (else this test proves nothing)...
    expect([...a.classes.subarray(CUT + 30)]).not.toEqual([...b.classes.subarray(CUT + 30)]);
    // ... and none up to the cut does.
    expect([...a.classes.subarray(0, CUT + 1)]).toEqual([...b.classes.subarray(0, CUT + 1)]);
    expect([...a.confidence.subarray(0, CUT + 1)]).toEqual([...b.confidence.subarray(0, CUT + 1)]);
    const runA = evaluate(bars, a, FIRST, settings, metrics);
    const runB = evaluate(changed, b, FIRST, settings, metrics);
    expect(runA.simulation.trades.length).toBeGreaterThan(3);
    // Equity up to the cut's close, and every trade closed by then, are the same.
    expect([...runA.simulation.equity.subarray(0, CUT - FIRST + 1)]).toEqual([
      ...runB.simulation.equity.subarray(0, CUT - FIRST + 1),
    ]);
    const closedBy = (trades: typeof runA.simulation.trades) =>
      trades.filter((t) => t.exitTime <= bars.time[CUT]!);
    expect(closedBy(runB.simulation.trades)).toEqual(closedBy(runA.simulation.trades));
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
