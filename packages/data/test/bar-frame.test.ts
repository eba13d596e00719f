import { ValidationError } from '@ktrdr/core';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { BarFrame } from '../src/domain/bar-frame';
import type { Bar } from '../src/domain/bars';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 14);

function bar(hour: number, close: number): Bar {
  return { time: T0 + hour * H, open: close - 1, high: close + 1, low: close - 2, close, volume: 100 + hour };
}

function closes(frame: BarFrame): number[] {
  return Array.from(frame.columns().close);
}

function hours(frame: BarFrame): number[] {
  return Array.from(frame.columns().time, (t) => (t - T0) / H);
}

describe('BarFrame', () => {
  it('exposes six Float64Array columns of equal length', () => {
    const frame = BarFrame.fromRows([bar(0, 10), bar(1, 11)]);
    const columns = frame.columns();
    expect(Object.keys(columns).sort()).toEqual(['close', 'high', 'low', 'open', 'time', 'volume']);
    for (const column of Object.values(columns)) {
      expect(column).toBeInstanceOf(Float64Array);
      expect(column.length).toBe(2);
    }
    expect(frame.length).toBe(2);
    expect(frame.firstTime).toBe(T0);
    expect(frame.lastTime).toBe(T0 + H);
  });

  it('sorts rows and keeps the later row when a time repeats', () => {
    const frame = BarFrame.fromRows([bar(2, 12), bar(0, 10), bar(2, 99), bar(1, 11)]);
    expect(hours(frame)).toEqual([0, 1, 2]);
    expect(closes(frame)).toEqual([10, 11, 99]);
  });

  it('adopts Float64Array inputs without copying and copies plain arrays', () => {
    const time = new Float64Array([T0, T0 + H]);
    const frame = BarFrame.fromColumns({
      time,
      open: [1, 2],
      high: [1, 2],
      low: [1, 2],
      close: [1, 2],
      volume: [0, 0],
    });
    expect(frame.columns().time).toBe(time);
    expect(frame.columns().open).toBeInstanceOf(Float64Array);
  });

  it('rejects unequal columns, missing columns and invalid times', () => {
    const ok = { time: [T0], open: [1], high: [1], low: [1], close: [1], volume: [1] };
    expect(() => BarFrame.fromColumns({ ...ok, close: [1, 2] })).toThrow(ValidationError);
    expect(() => BarFrame.fromColumns({ ...ok, volume: undefined } as never)).toThrow(ValidationError);
    expect(() => BarFrame.fromColumns({ ...ok, time: [Number.NaN] })).toThrow(ValidationError);
    expect(() =>
      BarFrame.fromSortedColumns(BarFrame.fromRows([bar(1, 1), bar(0, 0)]).columns()),
    ).not.toThrow();
    const unsorted = BarFrame.fromRows([bar(0, 0), bar(1, 1)]).columns();
    expect(() => BarFrame.fromSortedColumns({ ...unsorted, time: new Float64Array([T0 + H, T0]) })).toThrow(
      ValidationError,
    );
  });

  it('slices half-open ranges by time, sharing memory', () => {
    const frame = BarFrame.fromRows([0, 1, 2, 3, 4].map((h) => bar(h, h)));
    const part = frame.slice(T0 + H, T0 + 3 * H);
    expect(hours(part)).toEqual([1, 2]);
    expect(part.columns().time.buffer).toBe(frame.columns().time.buffer);
    expect(hours(frame.slice(T0 + 3.5 * H))).toEqual([4]);
    expect(frame.slice(T0 + 10 * H).length).toBe(0);
    expect(hours(frame.tail(2))).toEqual([3, 4]);
    expect(hours(frame.tail(10))).toEqual([0, 1, 2, 3, 4]);
    expect(frame.tail(0).length).toBe(0);
    expect(hours(frame.head(2))).toEqual([0, 1]);
    expect(frame.indexAtOrAfter(T0 + 2 * H)).toBe(2);
  });

  it('merges overlapping series with the newer frame winning, sorted and without duplicates', () => {
    const stored = BarFrame.fromRows([0, 1, 2, 4].map((h) => bar(h, h)));
    const fetched = BarFrame.fromRows([bar(2, 200), bar(3, 300), bar(5, 500)]);
    const merged = stored.merge(fetched);
    expect(hours(merged)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(closes(merged)).toEqual([0, 1, 200, 300, 4, 500]);
    expect(merged.at(2)?.volume).toBe(102);
  });

  it('merges by appending, prepending or returning a side when the other is empty', () => {
    const early = BarFrame.fromRows([bar(0, 0), bar(1, 1)]);
    const late = BarFrame.fromRows([bar(5, 5)]);
    expect(hours(early.merge(late))).toEqual([0, 1, 5]);
    expect(hours(late.merge(early))).toEqual([0, 1, 5]);
    expect(early.merge(BarFrame.empty())).toBe(early);
    expect(BarFrame.empty().merge(late)).toBe(late);
  });

  it('round-trips rows and reads arquero tables with a time or a date column', () => {
    const rows = [bar(0, 10), bar(1, 11)];
    const frame = BarFrame.fromRows(rows);
    expect(frame.toRows()).toEqual(rows);
    expect(frame.at(-1)).toEqual(rows[1]);
    expect(frame.at(2)).toBeUndefined();
    const table = frame.toTable();
    expect(table.numRows()).toBe(2);
    expect(table.columnNames()).toEqual(['time', 'open', 'high', 'low', 'close', 'volume']);
    expect(table.get('close', 1)).toBe(11);
    expect(frame.toTable()).toBe(table);

    const dated = aq.table({
      date: [new Date(T0 + H), new Date(T0)],
      open: [2, 1],
      high: [2, 1],
      low: [2, 1],
      close: [2, 1],
      volume: [5, 4],
    });
    const fromDates = BarFrame.fromTable(dated);
    expect(hours(fromDates)).toEqual([0, 1]);
    expect(closes(fromDates)).toEqual([1, 2]);
    expect(() => BarFrame.fromTable(aq.table({ open: [1] }))).toThrow(ValidationError);
  });
});
