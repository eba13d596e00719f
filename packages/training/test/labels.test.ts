import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { zigzagPivots } from '../src/indicators/index';
import {
  chronologicalSplit,
  countLabels,
  SIGNAL_BUY,
  SIGNAL_HOLD,
  SIGNAL_NAMES,
  SIGNAL_SELL,
  zigzagLabels,
} from '../src/labels/index';

// Pivots at 4%: low 0 (100), high 3 (108), low 7 (98), provisional high 10 (107).
const closes = Float64Array.from([100, 102, 105, 108, 106, 103, 100, 98, 101, 104, 107, 106]);

describe('ZigZag segment labels', () => {
  it('uses the Python class convention BUY=0, HOLD=1, SELL=2', () => {
    expect([SIGNAL_BUY, SIGNAL_HOLD, SIGNAL_SELL]).toEqual([0, 1, 2]);
    expect(SIGNAL_NAMES).toEqual(['BUY', 'HOLD', 'SELL']);
  });

  it('finds the pivots of the hand-built series', () => {
    const pivots = zigzagPivots(closes, 0.04);
    expect(pivots.indices).toEqual([0, 3, 7, 10]);
    expect(pivots.kinds).toEqual([-1, 1, -1, 1]);
    expect(pivots.lastIsProvisional).toBe(true);
  });

  it('labels up-swings BUY, down-swings SELL, pivots and the unknown tail HOLD', () => {
    expect(Array.from(zigzagLabels(closes, 0.04, 100))).toEqual([1, 0, 0, 1, 2, 2, 2, 1, 0, 0, 1, 1]);
  });

  it('labels HOLD the bars further than lookahead from the end of their swing', () => {
    // Bar 4 is 3 bars before the low at 7; with lookahead 2 it is HOLD, bars 5 and 6 stay SELL.
    expect(Array.from(zigzagLabels(closes, 0.04, 2))).toEqual([1, 0, 0, 1, 1, 2, 2, 1, 0, 0, 1, 1]);
  });

  it('starts at the true first swing low, not at bar 0 (Python anchored bar 0)', () => {
    const dipFirst = Float64Array.from([100, 99, 97, 101, 105, 104]);
    expect(zigzagPivots(dipFirst, 0.05).indices).toEqual([2, 4]);
    expect(Array.from(zigzagLabels(dipFirst, 0.05, 10))).toEqual([1, 1, 1, 0, 1, 1]);
  });

  it('labels everything HOLD when no move reaches the threshold', () => {
    const calm = Float64Array.from([100, 101, 100.5, 101.5, 100]);
    expect(Array.from(zigzagLabels(calm, 0.05, 10))).toEqual([1, 1, 1, 1, 1]);
  });

  it('treats a swing of exactly the threshold as a swing', () => {
    expect(zigzagPivots(Float64Array.from([100, 110, 99]), 0.1).indices).toEqual([0, 1, 2]);
  });

  it('counts labels per class', () => {
    expect(countLabels(zigzagLabels(closes, 0.04, 100))).toEqual({ buy: 4, hold: 5, sell: 3 });
  });
});

describe('chronological split', () => {
  it('cuts train, validation and test in order at floor(rows * fraction)', () => {
    expect(chronologicalSplit(1000, { train: 0.7, validation: 0.15, test: 0.15 })).toEqual({
      train: { start: 0, end: 700 },
      validation: { start: 700, end: 850 },
      test: { start: 850, end: 1000 },
    });
  });

  it('gives the rounding remainder to test and leaves no gap or overlap', () => {
    const split = chronologicalSplit(101, { train: 0.7, validation: 0.15, test: 0.15 });
    expect(split.train).toEqual({ start: 0, end: 70 });
    expect(split.validation).toEqual({ start: 70, end: 85 });
    expect(split.test).toEqual({ start: 85, end: 101 });
  });

  it('allows an empty test part', () => {
    expect(chronologicalSplit(10, { train: 0.8, validation: 0.2, test: 0 }).test).toEqual({
      start: 10,
      end: 10,
    });
  });

  it('rejects fractions that do not sum to 1', () => {
    expect(() => chronologicalSplit(10, { train: 0.7, validation: 0.2, test: 0.2 })).toThrow(ValidationError);
  });
});
