import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { civilFromDays, dateKeyOfDays, daysFromCivil, weekdayOfDays } from '../src/domain/civil-date';
import { formatIsoUtc, toEpochMs } from '../src/domain/dates';

describe('dates', () => {
  it('reads user dates as UTC whatever the machine zone, with or without an offset', () => {
    const expected = Date.UTC(2024, 0, 2, 10, 0, 0);
    expect(toEpochMs('2024-01-02T10:00:00Z', 'start')).toBe(expected);
    expect(toEpochMs('2024-01-02T10:00:00', 'start')).toBe(expected);
    expect(toEpochMs('2024-01-02 10:00:00', 'start')).toBe(expected);
    expect(toEpochMs('2024-01-02T05:00:00-05:00', 'start')).toBe(expected);
    expect(toEpochMs('2024-01-02', 'start')).toBe(Date.UTC(2024, 0, 2));
    expect(toEpochMs(new Date(expected), 'start')).toBe(expected);
    expect(toEpochMs(expected, 'start')).toBe(expected);
  });

  it('rejects unreadable dates naming the field', () => {
    for (const bad of ['yesterday', '', Number.NaN, new Date('x')]) {
      try {
        toEpochMs(bad, 'end');
        throw new Error(`accepted ${String(bad)}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).details.field).toBe('end');
      }
    }
  });

  it('formats the store date form without milliseconds', () => {
    expect(formatIsoUtc(Date.UTC(2024, 0, 2, 10, 0, 5, 999))).toBe('2024-01-02T10:00:05Z');
  });

  it('converts civil dates to day numbers and back, across centuries and leap days', () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [1900, 3, 1],
      [2000, 2, 29],
      [2024, 12, 31],
      [1969, 12, 31],
      [2100, 2, 28],
    ] as const) {
      const days = daysFromCivil(y, m, d);
      expect(days * 86_400_000).toBe(Date.UTC(y, m - 1, d));
      expect(civilFromDays(days)).toEqual({ year: y, month: m, day: d });
      expect(weekdayOfDays(days)).toBe(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
    }
    expect(dateKeyOfDays(daysFromCivil(2024, 3, 9))).toBe('2024-03-09');
  });
});
