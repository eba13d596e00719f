import * as ti from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import {
  adx,
  atr,
  bollingerBands,
  cci,
  computeIndicator,
  ema,
  findIndicator,
  listIndicators,
  macd,
  momentum,
  natr,
  obv,
  roc,
  rsi,
  sma,
  stochastic,
  vwap,
  williamsR,
  zigzag,
  zigzagPivots,
} from '../src/indicators/index';
import { randomWalkBars } from './support/random-walk-bars';

const bars = randomWalkBars({ bars: 500, seed: 7 });
const n = bars.close.length;
const close = Array.from(bars.close);
const high = Array.from(bars.high);
const low = Array.from(bars.low);
const volume = Array.from(bars.volume);

/**
 * technicalindicators returns only the defined values, so its output is aligned to the end of the
 * input. Checks that ours is NaN exactly where theirs has no value (same warm-up) and matches after.
 */
function expectAlignedToEnd(
  ours: Float64Array,
  theirs: ReadonlyArray<number | undefined>,
  tolerance = 1e-9,
): void {
  const offset = ours.length - theirs.length;
  expect(offset).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < offset; i++) expect(ours[i], `warm-up bar ${i}`).toBeNaN();
  let compared = 0;
  theirs.forEach((value, j) => {
    const mine = ours[offset + j]!;
    if (value === undefined) {
      expect(mine, `bar ${offset + j}`).toBeNaN();
      return;
    }
    const scale = Math.max(1, Math.abs(value));
    expect(Math.abs(mine - value) / scale, `bar ${offset + j}: ours ${mine} vs ${value}`).toBeLessThanOrEqual(
      tolerance,
    );
    compared++;
  });
  expect(compared).toBeGreaterThan(theirs.length / 2);
}

describe('indicators cross-checked against technicalindicators', () => {
  it('SMA', () => {
    expectAlignedToEnd(sma(bars.close, 20), ti.sma({ period: 20, values: close }));
  });

  it('EMA (SMA-seeded)', () => {
    expectAlignedToEnd(ema(bars.close, 12), ti.ema({ period: 12, values: close }));
  });

  it('RSI (Wilder); technicalindicators rounds to 2 decimals', () => {
    expectAlignedToEnd(rsi(bars.close, 14), ti.rsi({ period: 14, values: close }), 0.0051);
  });

  it('MACD line, signal and histogram with EMA smoothing', () => {
    const ours = macd(bars.close, 12, 26, 9);
    const theirs = ti.macd({
      values: close,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    expectAlignedToEnd(
      ours.macd,
      theirs.map((r) => r.MACD),
    );
    expectAlignedToEnd(
      ours.signal,
      theirs.map((r) => r.signal),
    );
    expectAlignedToEnd(
      ours.histogram,
      theirs.map((r) => r.histogram),
    );
  });

  it('MACD ppo output is the MACD line in percent of their slow EMA', () => {
    const theirs = ti.macd({
      values: close,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    const slow = ti.ema({ period: 26, values: close });
    expectAlignedToEnd(
      macd(bars.close, 12, 26, 9).ppo,
      theirs.map((r, j) => (100 * r.MACD!) / slow[j]!),
    );
  });

  it('Stochastic %K and %D (fast, smooth_k = 1)', () => {
    const ours = stochastic(bars.high, bars.low, bars.close, 14, 3, 1);
    const theirs = ti.stochastic({ high, low, close, period: 14, signalPeriod: 3 });
    expectAlignedToEnd(
      ours.k,
      theirs.map((r) => r.k),
    );
    expectAlignedToEnd(
      ours.d,
      theirs.map((r) => r.d),
    );
  });

  it('Stochastic slow %K (smooth_k = 3) is the 3-bar SMA of their fast %K', () => {
    const ours = stochastic(bars.high, bars.low, bars.close, 14, 3, 3);
    const fastK = ti.stochastic({ high, low, close, period: 14, signalPeriod: 3 }).map((r) => r.k);
    expectAlignedToEnd(ours.k, ti.sma({ period: 3, values: fastK }));
  });

  it('Williams %R', () => {
    expectAlignedToEnd(
      williamsR(bars.high, bars.low, bars.close, 14),
      ti.williamsr({ high, low, close, period: 14 }),
    );
  });

  it('ATR (Wilder)', () => {
    expectAlignedToEnd(atr(bars.high, bars.low, bars.close, 14), ti.atr({ high, low, close, period: 14 }));
  });

  it('NATR is their ATR in percent of the close', () => {
    const theirs = ti.atr({ high, low, close, period: 14 });
    const offset = n - theirs.length;
    expectAlignedToEnd(
      natr(atr(bars.high, bars.low, bars.close, 14), bars.close),
      theirs.map((v, j) => (100 * v) / close[offset + j]!),
    );
  });

  it('OBV: same running total; ours adds the 0 at bar 0', () => {
    const ours = obv(bars.close, bars.volume);
    const theirs = ti.obv({ close, volume });
    expect(ours[0]).toBe(0);
    expectAlignedToEnd(ours.subarray(1), theirs);
  });

  it('Bollinger Bands (population standard deviation) and width', () => {
    const ours = bollingerBands(bars.close, 20, 2);
    const theirs = ti.bollingerbands({ period: 20, stdDev: 2, values: close });
    expectAlignedToEnd(
      ours.upper,
      theirs.map((r) => r.upper),
    );
    expectAlignedToEnd(
      ours.middle,
      theirs.map((r) => r.middle),
    );
    expectAlignedToEnd(
      ours.lower,
      theirs.map((r) => r.lower),
    );
    expectAlignedToEnd(
      ours.width,
      theirs.map((r) => (r.upper - r.lower) / r.middle),
    );
  });

  it('CCI', () => {
    expectAlignedToEnd(cci(bars.high, bars.low, bars.close, 20), ti.cci({ high, low, close, period: 20 }));
  });

  it('ROC', () => {
    expectAlignedToEnd(roc(bars.close, 10), ti.roc({ period: 10, values: close }));
  });

  it('Momentum equals their ROC scaled back to price units (no Momentum in technicalindicators)', () => {
    const theirRoc = ti.roc({ period: 10, values: close });
    const offset = n - theirRoc.length;
    const derived = theirRoc.map((r, j) => (r / 100) * close[offset + j - 10]!);
    expectAlignedToEnd(momentum(bars.close, 10), derived);
  });

  it('VWAP cumulative (period 0)', () => {
    expectAlignedToEnd(
      vwap(bars.high, bars.low, bars.close, bars.volume, 0),
      ti.vwap({ high, low, close, volume }),
    );
  });

  it('VWAP rolling equals their cumulative VWAP over each window', () => {
    const period = 20;
    const ours = vwap(bars.high, bars.low, bars.close, bars.volume, period);
    const theirs: number[] = [];
    for (let end = period; end <= n; end++) {
      const window = { high: high.slice(end - period, end), low: low.slice(end - period, end) };
      const last = ti.vwap({
        ...window,
        close: close.slice(end - period, end),
        volume: volume.slice(end - period, end),
      });
      theirs.push(last[last.length - 1]!);
    }
    expectAlignedToEnd(ours, theirs);
  });

  it('ADX, +DI and -DI (Wilder)', () => {
    const ours = adx(bars.high, bars.low, bars.close, 14);
    const theirs = ti.adx({ high, low, close, period: 14 });
    expectAlignedToEnd(
      ours.adx,
      theirs.map((r) => r.adx),
    );
    // Their DI values are only reported once ADX exists; ours start `period - 1` bars earlier.
    const diOffset = n - theirs.length;
    expect(ours.plusDi[14]).not.toBeNaN();
    expectAlignedToEnd(
      ours.plusDi.subarray(diOffset),
      theirs.map((r) => r.pdi),
    );
    expectAlignedToEnd(
      ours.minusDi.subarray(diOffset),
      theirs.map((r) => r.mdi),
    );
  });

  it('ZigZag pivots are the extremes between neighbouring pivots (their highest/lowest) and swing >= threshold (their ROC)', () => {
    const threshold = 0.03;
    const pivots = zigzagPivots(bars.close, threshold);
    expect(pivots.indices.length).toBeGreaterThan(4);
    for (let p = 1; p < pivots.indices.length; p++) {
      const from = pivots.indices[p - 1]!;
      const to = pivots.indices[p]!;
      const span = close.slice(from, to + 1);
      const isHigh = pivots.kinds[p] === 1;
      expect(pivots.kinds[p]).toBe(-pivots.kinds[p - 1]!);
      const extreme = isHigh
        ? ti.highest({ values: span, period: span.length })[0]!
        : ti.lowest({ values: span, period: span.length })[0]!;
      expect(close[to]).toBe(extreme);
      const opposite = isHigh
        ? ti.lowest({ values: span, period: span.length })[0]!
        : ti.highest({ values: span, period: span.length })[0]!;
      expect(close[from]).toBe(opposite);
      // Every swing, the provisional last one included, moved at least `threshold` from its start.
      const swing = ti.roc({ period: 1, values: [close[from]!, close[to]!] })[0]!;
      expect(Math.abs(swing) / 100).toBeGreaterThanOrEqual(threshold);
    }
  });

  it('ZigZag line is the price at pivots and NaN elsewhere', () => {
    const line = zigzag(bars.close, 0.03);
    const pivots = new Set(zigzagPivots(bars.close, 0.03).indices);
    line.forEach((value, i) => {
      if (pivots.has(i)) expect(value).toBe(bars.close[i]);
      else expect(value).toBeNaN();
    });
  });
});

describe('indicator registry', () => {
  it('finds indicators by Python names and aliases regardless of case and separators', () => {
    expect(findIndicator('RSI')?.name).toBe('RSI');
    expect(findIndicator('rsi')?.name).toBe('RSI');
    expect(findIndicator('BollingerBands')?.name).toBe('BollingerBands');
    expect(findIndicator('bollinger_bands')?.name).toBe('BollingerBands');
    expect(findIndicator('bbands')?.name).toBe('BollingerBands');
    expect(findIndicator('WilliamsR')?.name).toBe('WilliamsR');
    expect(findIndicator('williams_r')?.name).toBe('WilliamsR');
    expect(findIndicator('stoch')?.name).toBe('Stochastic');
    expect(findIndicator('Stochastic')?.name).toBe('Stochastic');
    expect(findIndicator('macd')?.name).toBe('MACD');
    expect(findIndicator('nope')).toBeUndefined();
  });

  it('registers the fifteen required indicators, each with outputs that include its fuzzy input', () => {
    const names = listIndicators().map((d) => d.name);
    for (const required of [
      'RSI',
      'SMA',
      'EMA',
      'MACD',
      'Stochastic',
      'WilliamsR',
      'ATR',
      'OBV',
      'BollingerBands',
      'CCI',
      'Momentum',
      'ROC',
      'VWAP',
      'ADX',
      'ZigZag',
    ]) {
      expect(names).toContain(required);
    }
    for (const definition of listIndicators()) expect(definition.outputs).toContain(definition.fuzzyInput);
  });

  it('computes every registered indicator with its defaults, each output as long as the input', () => {
    for (const definition of listIndicators()) {
      const params = Object.fromEntries(definition.params.map((p) => [p.name, p.default]));
      const outputs = computeIndicator(definition.name, bars, params);
      expect(Object.keys(outputs)).toEqual([...definition.outputs]);
      for (const column of Object.values(outputs)) expect(column.length).toBe(n);
    }
  });

  it('SMA feeds fuzzy sets the close/SMA ratio, as Python KTRDR did', () => {
    const outputs = computeIndicator('sma', bars, { period: 20, source: 'close' });
    expect(outputs['ratio']![100]).toBeCloseTo(bars.close[100]! / outputs['value']![100]!, 12);
  });

  it('rejects an unknown name with the list of known ones', () => {
    expect(() => computeIndicator('foo', bars, {})).toThrow(/Unknown indicator "foo".*RSI/);
  });

  it('marks ZigZag as looking ahead so it can never become a feature', () => {
    expect(findIndicator('zigzag')?.looksAhead).toBe(true);
    expect(findIndicator('rsi')?.looksAhead).toBeFalsy();
  });
});
