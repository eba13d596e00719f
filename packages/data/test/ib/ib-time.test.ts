import { InternalError, ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { formatIbEndDateTime, isIbBarSize, parseIbBarTime, toIbDuration } from '../../src/ib/ib-time';

describe('formatIbEndDateTime', () => {
  it('writes the UTC form IB accepts without a time-zone warning', () => {
    expect(formatIbEndDateTime(new Date('2024-03-01T14:30:05.999Z'))).toBe('20240301-14:30:05');
  });

  it('rejects an invalid date', () => {
    expect(() => formatIbEndDateTime(new Date('nope'))).toThrow(ValidationError);
  });
});

describe('toIbDuration', () => {
  it.each([
    ['5 D', '5 D'],
    [' 1 Y ', '1 Y'],
    [{ days: 1 }, '1 D'],
    [{ days: 365 }, '365 D'],
    [{ days: 0.5 }, '43200 S'],
    [{ days: 1.2 }, '2 D'],
    [{ days: 400 }, '2 Y'],
  ] as const)('%j -> %s', (input, expected) => {
    expect(toIbDuration(input)).toBe(expected);
  });

  it.each(['5', '0 D', '5 days', '-1 D', '1.5 D'])('rejects %s with field duration', (input) => {
    expect(() => toIbDuration(input)).toThrow(ValidationError);
    try {
      toIbDuration(input);
    } catch (error) {
      expect((error as ValidationError).details['field']).toBe('duration');
    }
  });

  it('rejects non-positive day counts', () => {
    expect(() => toIbDuration({ days: 0 })).toThrow(ValidationError);
    expect(() => toIbDuration({ days: Number.NaN })).toThrow(ValidationError);
  });
});

describe('parseIbBarTime', () => {
  it('reads epoch seconds (formatDate=2, intraday)', () => {
    expect(parseIbBarTime('1709303400')).toBe(Date.UTC(2024, 2, 1, 14, 30));
  });

  it('reads yyyyMMdd (daily, weekly, monthly bars) as UTC midnight of that date', () => {
    expect(parseIbBarTime('20240301')).toBe(Date.UTC(2024, 2, 1));
  });

  it('reads yyyyMMdd-HH:mm:ss and the two-space legacy form as UTC', () => {
    expect(parseIbBarTime('20240301-14:30:00')).toBe(Date.UTC(2024, 2, 1, 14, 30));
    expect(parseIbBarTime('20240301  14:30:00')).toBe(Date.UTC(2024, 2, 1, 14, 30));
    expect(parseIbBarTime('20240301 14:30:00 UTC')).toBe(Date.UTC(2024, 2, 1, 14, 30));
  });

  it('refuses a zoned local time rather than guess its offset', () => {
    expect(() => parseIbBarTime('20231019 16:11:48 America/New_York')).toThrow(InternalError);
  });
});

describe('isIbBarSize', () => {
  it('knows IB bar sizes', () => {
    expect(isIbBarSize('1 min')).toBe(true);
    expect(isIbBarSize('1 mins')).toBe(false);
  });
});
