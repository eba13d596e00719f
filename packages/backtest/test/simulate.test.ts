import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/engine/backtest-settings';
import { simulate } from '../src/engine/simulate';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Eight hourly bars (open, close) and the signals of the hand-worked case below. */
function handCase() {
  const opens = [100, 100, 105, 110, 108, 100, 95, 100];
  const closes = [100, 104, 106, 108, 100, 96, 98, 102];
  // BUY at 0, SELL at 2 (closes the long), SELL at 3 (opens a short), BUY at 5 (closes it), BUY at 6.
  const classes = Int8Array.from([0, 1, 2, 2, 1, 0, 0, 1]);
  return {
    bars: {
      time: Float64Array.from(opens, (_, i) => T0 + i * HOUR),
      open: Float64Array.from(opens),
      close: Float64Array.from(closes),
      barMs: HOUR,
    },
    signals: { classes, confidence: new Float32Array(8).fill(0.9) },
  };
}

const settings = resolveSettings({
  capital: 10_000,
  position_fraction: 0.5,
  commission: 0.01,
  slippage: 0.01,
  min_signal_separation: 0,
});

describe('simulate: a three-trade case worked out by hand', () => {
  // Capital 10,000; each position takes half the cash; whole units; 1% commission, 1% slippage.
  //
  // Trade 1, long. BUY at bar 0's close fills at bar 1's open: 100 x 1.01 = 101.
  //   units = floor(5000 / (101 x 1.01)) = floor(49.01) = 49; cost 4949 + commission 49.49
  //   cash = 10000 - 4949 - 49.49 = 5001.51
  //   SELL at bar 2 fills at bar 3's open: 110 x 0.99 = 108.9; proceeds 5336.1, commission 53.361
  //   cash = 10284.249; pnl = 49 x (108.9 - 101) - 49.49 - 53.361 = 284.249 (2 bars, 2 h)
  // Trade 2, short. SELL at bar 3 (flat) fills at bar 4's open: 108 x 0.99 = 106.92.
  //   units = floor(5142.1245 / (106.92 x 1.01)) = floor(47.62) = 47; proceeds 5025.24, commission 50.2524
  //   cash = 15259.2366; BUY at bar 5 fills at bar 6's open: 95 x 1.01 = 95.95; cost 4509.65 + 45.0965
  //   cash = 10704.4901; pnl = 47 x (106.92 - 95.95) - 50.2524 - 45.0965 = 420.2411 (2 bars, 2 h)
  // Trade 3, long. BUY at bar 6 fills at bar 7's open: 101; units = floor(5352.24505 / 102.01) = 52
  //   cost 5252 + 52.52, cash = 5399.9701; closed at the end at bar 7's close: 102 x 0.99 = 100.98
  //   proceeds 5250.96, commission 52.5096; cash = 10598.4205; pnl = -1.04 - 105.0296 = -106.0696 (1 bar, 1 h)
  // Equity at each close (marked to market): 10000, 5001.51 + 49 x 104, 5001.51 + 49 x 106, 10284.249,
  //   15259.2366 - 47 x 100, 15259.2366 - 47 x 96, 10704.4901, then 10598.4205 after the close-out.
  it('fills, sizes, charges and marks every step as worked out', () => {
    const { bars, signals } = handCase();
    const result = simulate(bars, signals, 0, settings);
    const expected = [10000, 10097.51, 10195.51, 10284.249, 10559.2366, 10747.2366, 10704.4901, 10598.4205];
    expected.forEach((value, k) => expect(result.equity[k]).toBeCloseTo(value, 6));
    expect([...result.position]).toEqual([0, 1, 1, 0, -1, -1, 0, 1]);
    expect(result.trades.map((t) => [t.side, t.quantity, t.bars, t.holdingMs / HOUR, t.exitReason])).toEqual([
      ['long', 49, 2, 2, 'signal'],
      ['short', 47, 2, 2, 'signal'],
      ['long', 52, 1, 1, 'end'],
    ]);
    const [t1, t2, t3] = result.trades;
    expect(t1!.entryPrice).toBeCloseTo(101, 9);
    expect(t1!.exitPrice).toBeCloseTo(108.9, 9);
    expect(t1!.pnl).toBeCloseTo(284.249, 6);
    expect(t2!.entryPrice).toBeCloseTo(106.92, 9);
    expect(t2!.exitPrice).toBeCloseTo(95.95, 9);
    expect(t2!.pnl).toBeCloseTo(420.2411, 6);
    expect(t3!.pnl).toBeCloseTo(-106.0696, 6);
    expect(t3!.commission).toBeCloseTo(52.52 + 52.5096, 6);
    // The trades add up to the final equity.
    expect(10_000 + t1!.pnl + t2!.pnl + t3!.pnl).toBeCloseTo(result.equity[7]!, 6);
  });

  it('buys and holds the same bars as the baseline', () => {
    const { bars, signals } = handCase();
    const { baseline } = simulate(bars, signals, 0, settings);
    // floor(10000 / (101 x 1.01)) = 98 units at 101: cash 10000 - 9898 - 98.98 = 3.02.
    expect(baseline.equity[0]).toBe(10_000);
    expect(baseline.equity[1]).toBeCloseTo(3.02 + 98 * 104, 6);
    // Sold at 102 x 0.99 = 100.98: 3.02 + 9896.04 - 98.9604.
    expect(baseline.equity[7]).toBeCloseTo(9800.0996, 6);
    expect(baseline.trades).toHaveLength(1);
    expect(baseline.trades[0]!.pnl).toBeCloseTo(-199.9004, 6);
  });

  it('applies the confidence threshold and the minimum separation', () => {
    const { bars, signals } = handCase();
    const unsure = { ...signals, confidence: Float32Array.from([0.4, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]) };
    const low = simulate(bars, unsure, 0, settings);
    // The first BUY is too unsure: the SELL at 2 opens a short instead.
    expect(low.lowConfidenceSignals).toBe(1);
    expect(low.trades[0]!.side).toBe('short');
    // Orders at least 3 h apart: BUY at 0, then the SELL at 2 is too soon; SELL at 3 closes the long.
    const spaced = simulate(bars, signals, 0, { ...settings, minSignalSeparationMs: 3 * HOUR });
    expect(spaced.suppressedSignals).toBeGreaterThan(0);
    expect(spaced.trades[0]!.exitTime).toBe(T0 + 4 * HOUR);
  });

  it('opens no short when shorts are not allowed, and skips an order no whole unit fits', () => {
    const { bars, signals } = handCase();
    const longOnly = simulate(bars, signals, 0, { ...settings, allowShort: false });
    expect(longOnly.trades.every((t) => t.side === 'long')).toBe(true);
    const poor = simulate(bars, signals, 0, { ...settings, initialCapital: 150 });
    expect(poor.trades).toHaveLength(0);
    expect(poor.skippedOrders).toBeGreaterThan(0);
    const fractional = simulate(bars, signals, 0, { ...settings, initialCapital: 150, units: 'fractional' });
    expect(fractional.trades[0]!.quantity).toBeCloseTo(75 / (101 * 1.01), 9);
  });

  it('starts at `first`: earlier bars are history only', () => {
    const { bars, signals } = handCase();
    const result = simulate(bars, signals, 3, settings);
    expect(result.equity).toHaveLength(5);
    expect(result.equity[0]).toBe(10_000);
    // SELL at bar 3 opens the first position, a short filled at bar 4's open.
    expect(result.trades[0]!.side).toBe('short');
    expect(result.trades[0]!.entryTime).toBe(T0 + 4 * HOUR);
  });
});
