import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/engine/backtest-settings';
import { simulate } from '../src/engine/simulate';
import { KTRDR_CAP, computeMetrics } from '../src/metrics/compute-metrics';
import { FOREX_YEAR, STOCK_YEAR, periodsPerYear } from '../src/metrics/periods-per-year';
import { randomWalkBars } from './support/random-walk-bars';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
/** The hand-worked case of simulate.test.ts: its equity at each close, positions and trades. */
const EQUITY = [10000, 10097.51, 10195.51, 10284.249, 10559.2366, 10747.2366, 10704.4901, 10598.4205];
const TIMES = EQUITY.map((_, i) => T0 + i * HOUR);
const trade = (pnl: number, bars: number) => ({
  side: 'long' as const,
  entryTime: 0,
  entryPrice: 1,
  exitTime: bars * HOUR,
  exitPrice: 1,
  quantity: 1,
  pnl,
  returnPct: 0,
  commission: 0,
  bars,
  holdingMs: bars * HOUR,
  exitReason: 'signal' as const,
});
const TRADES = [trade(284.249, 2), trade(420.2411, 2), trade(-106.0696, 1)];
const INPUT = {
  equity: EQUITY,
  times: TIMES,
  position: [0, 1, 1, 0, -1, -1, 0, 1],
  trades: TRADES,
  initialCapital: 10_000,
};
const returns = EQUITY.slice(1).map((e, i) => e / EQUITY[i]! - 1);

describe('metrics of the three-trade case, by hand and with simple-statistics', () => {
  it('trade statistics', () => {
    const m = computeMetrics(INPUT, { mode: 'standard', periodsPerYear: 1764 });
    expect(m.total_trades).toBe(3);
    expect(m.winning_trades).toBe(2);
    expect(m.losing_trades).toBe(1);
    expect(m.win_rate).toBeCloseTo(2 / 3, 12);
    // (284.249 + 420.2411) / 106.0696 = 704.4901 / 106.0696
    expect(m.profit_factor).toBeCloseTo(704.4901 / 106.0696, 9);
    // (284.249 + 420.2411 - 106.0696) / 3 = 598.4205 / 3
    expect(m.expectancy).toBeCloseTo(199.4735, 9);
    expect(m.avg_win).toBeCloseTo(352.24505, 9);
    expect(m.avg_loss).toBeCloseTo(-106.0696, 9);
    expect(m.largest_win).toBeCloseTo(420.2411, 9);
    expect(m.largest_loss).toBeCloseTo(-106.0696, 9);
    // 5 of 8 closes with a position; holding (2 + 2 + 1) / 3 hours.
    expect(m.exposure).toBe(5 / 8);
    expect(m.avg_holding_ms).toBeCloseTo((5 / 3) * HOUR, 6);
    expect(m.avg_holding_bars).toBeCloseTo(5 / 3, 12);
  });

  it('returns and drawdown', () => {
    const m = computeMetrics(INPUT, { mode: 'standard', periodsPerYear: 1764 });
    expect(m.final_equity).toBe(10598.4205);
    expect(m.total_return).toBeCloseTo(598.4205, 9);
    expect(m.total_return_pct).toBeCloseTo(0.05984205, 12);
    // Peak 10747.2366 at the sixth close, then 10598.4205: 148.8161 below it, over 2 bars (2 h).
    expect(m.max_drawdown).toBeCloseTo(148.8161, 9);
    expect(m.max_drawdown_pct).toBeCloseTo(148.8161 / 10747.2366, 12);
    expect(m.max_drawdown_duration_bars).toBe(2);
    expect(m.max_drawdown_duration_ms).toBe(2 * HOUR);
    expect(m.recovery_factor).toBeCloseTo(598.4205 / 148.8161, 9);
  });

  it('standard mode: sample deviation, bar-size annualisation and a risk-free rate', () => {
    const P = 1764;
    const rf = 0.04;
    const m = computeMetrics(INPUT, { mode: 'standard', periodsPerYear: P, riskFreeRate: rf });
    const rfBar = (1 + rf) ** (1 / P) - 1;
    const sd = ss.sampleStandardDeviation(returns);
    expect(m.volatility).toBeCloseTo(sd * Math.sqrt(P), 12);
    expect(m.sharpe_ratio).toBeCloseTo(((ss.mean(returns) - rfBar) / sd) * Math.sqrt(P), 9);
    const downside = Math.sqrt(ss.mean(returns.map((r) => Math.min(0, r - rfBar) ** 2)));
    expect(m.sortino_ratio).toBeCloseTo(((ss.mean(returns) - rfBar) / downside) * Math.sqrt(P), 9);
    const annual = 1.05984205 ** (P / 7) - 1;
    expect(m.annualized_return).toBeCloseTo(annual, 6);
    expect(m.calmar_ratio).toBeCloseTo(annual / (148.8161 / 10747.2366), 4);
    expect(m.periods_per_year).toBe(P);
  });

  it('ktrdr mode: population deviation, sqrt(252) whatever the bar size, calendar CAGR', () => {
    const m = computeMetrics(INPUT, { mode: 'ktrdr', periodsPerYear: 1764, riskFreeRate: 0.04 });
    const sd = ss.standardDeviation(returns);
    expect(m.periods_per_year).toBe(252);
    expect(m.risk_free_rate).toBe(0);
    expect(m.volatility).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(m.sharpe_ratio).toBeCloseTo((ss.mean(returns) / sd) * Math.sqrt(252), 9);
    const negatives = returns.filter((r) => r < 0);
    expect(m.sortino_ratio).toBeCloseTo(
      (ss.mean(returns) / ss.standardDeviation(negatives)) * Math.sqrt(252),
      9,
    );
    // Calendar years from the first to the last bar: spread over exactly 365.25 days, the CAGR is
    // the total return.
    const yearly = { ...INPUT, times: TIMES.map((_, i) => (i * 365.25 * 86_400_000) / 7) };
    expect(computeMetrics(yearly, { mode: 'ktrdr', periodsPerYear: 1 }).annualized_return).toBeCloseTo(
      0.05984205,
      12,
    );
    // Over 7 hours: (1 + 5.98%) ^ (365.25 x 24 / 7) - 1, an absurd figure, as Python gives it.
    expect(m.annualized_return! / (1.05984205 ** ((365.25 * 24) / 7) - 1)).toBeCloseTo(1, 9);
  });

  it('ktrdr mode caps what is infinite and zeroes what is undefined; standard mode says null', () => {
    const flat = {
      ...INPUT,
      equity: [100, 100, 100],
      times: TIMES.slice(0, 3),
      position: [0, 0, 0],
      trades: [],
    };
    const k = computeMetrics({ ...flat, initialCapital: 100 }, { mode: 'ktrdr', periodsPerYear: 252 });
    expect(k.sharpe_ratio).toBe(0);
    expect(k.win_rate).toBe(0);
    const s = computeMetrics({ ...flat, initialCapital: 100 }, { mode: 'standard', periodsPerYear: 252 });
    expect(s.sharpe_ratio).toBeNull();
    expect(s.profit_factor).toBeNull();
    const winners = { ...INPUT, trades: [TRADES[0]!, TRADES[1]!] };
    expect(computeMetrics(winners, { mode: 'ktrdr', periodsPerYear: 252 }).profit_factor).toBe(KTRDR_CAP);
    expect(computeMetrics(winners, { mode: 'standard', periodsPerYear: 252 }).profit_factor).toBeNull();
  });

  it('agrees with simple-statistics on a long random run', () => {
    const bars = randomWalkBars({ bars: 3000, seed: 3 });
    const classes = Int8Array.from({ length: 3000 }, (_, i) => [0, 1, 2][Math.floor(i / 37) % 3]!);
    const sim = simulate(bars, { classes, confidence: new Float32Array(3000).fill(1) }, 0, resolveSettings());
    const m = computeMetrics(
      {
        equity: sim.equity,
        times: bars.time,
        position: sim.position,
        trades: sim.trades,
        initialCapital: 100_000,
      },
      { mode: 'standard', periodsPerYear: 1764 },
    );
    const r = [...sim.equity].slice(1).map((e, i) => e / sim.equity[i]! - 1);
    expect(m.volatility).toBeCloseTo(ss.sampleStandardDeviation(r) * Math.sqrt(1764), 10);
    expect(m.sharpe_ratio).toBeCloseTo((ss.mean(r) / ss.sampleStandardDeviation(r)) * Math.sqrt(1764), 8);
    expect(m.expectancy).toBeCloseTo(ss.mean(sim.trades.map((t) => t.pnl)), 8);
    expect(m.total_trades).toBeGreaterThan(10);
    expect(m.final_equity).toBeCloseTo(100_000 + ss.sum(sim.trades.map((t) => t.pnl)), 6);
  });
});

describe('periods per year', () => {
  it('counts a session of bars per trading day', () => {
    expect(periodsPerYear(HOUR, STOCK_YEAR)).toBe(252 * 7);
    expect(periodsPerYear(60_000, STOCK_YEAR)).toBe(252 * 390);
    expect(periodsPerYear(HOUR, FOREX_YEAR)).toBe(260 * 24);
    expect(periodsPerYear(86_400_000, STOCK_YEAR)).toBe(252);
    expect(periodsPerYear(7 * 86_400_000, STOCK_YEAR)).toBe(52);
    expect(periodsPerYear(30 * 86_400_000, STOCK_YEAR)).toBe(12);
  });
});
