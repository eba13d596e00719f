import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  TIMEFRAMES,
  TIMEFRAME_SPECS,
  isTimeframe,
  maxRequestMs,
  parseTimeframe,
} from '../src/domain/timeframes';

describe('timeframes', () => {
  it('lists the eleven timeframes of the Python system, shortest first', () => {
    expect([...TIMEFRAMES]).toEqual(['1m', '5m', '15m', '30m', '1h', '2h', '3h', '4h', '1d', '1w', '1M']);
  });

  it('maps every timeframe to its IB bar size and a request limit (2h, 3h and 1M included)', () => {
    const sizes = Object.fromEntries(TIMEFRAMES.map((tf) => [tf, TIMEFRAME_SPECS[tf].ibBarSize]));
    expect(sizes).toEqual({
      '1m': '1 min',
      '5m': '5 mins',
      '15m': '15 mins',
      '30m': '30 mins',
      '1h': '1 hour',
      '2h': '2 hours',
      '3h': '3 hours',
      '4h': '4 hours',
      '1d': '1 day',
      '1w': '1 week',
      '1M': '1 month',
    });
    const days = Object.fromEntries(TIMEFRAMES.map((tf) => [tf, TIMEFRAME_SPECS[tf].maxRequestDays]));
    expect(days).toEqual({
      '1m': 1,
      '5m': 7,
      '15m': 14,
      '30m': 30,
      '1h': 30,
      '2h': 60,
      '3h': 90,
      '4h': 120,
      '1d': 365,
      '1w': 730,
      '1M': 3650,
    });
  });

  it('gives bar lengths in ms, with a nominal 30-day month', () => {
    expect(TIMEFRAME_SPECS['1m'].ms).toBe(60_000);
    expect(TIMEFRAME_SPECS['4h'].ms).toBe(4 * 3_600_000);
    expect(TIMEFRAME_SPECS['1w'].ms).toBe(7 * 86_400_000);
    expect(TIMEFRAME_SPECS['1M'].ms).toBe(30 * 86_400_000);
    expect(maxRequestMs('1m')).toBe(86_400_000);
    expect(maxRequestMs('1d')).toBe(365 * 86_400_000);
  });

  it('parses valid timeframes and tells minutes from months by case', () => {
    expect(parseTimeframe('1m')).toBe('1m');
    expect(parseTimeframe('1M')).toBe('1M');
    expect(isTimeframe('1H')).toBe(false);
    expect(isTimeframe(60)).toBe(false);
  });

  it('rejects unknown timeframes with a ValidationError naming the field and the accepted values', () => {
    for (const bad of ['1H', '10m', '', ' 1h', 60, null, undefined]) {
      let caught: unknown;
      try {
        parseTimeframe(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      const details = (caught as ValidationError).details;
      expect(details.field).toBe('timeframe');
      expect(details.accepted).toEqual([...TIMEFRAMES]);
      expect((caught as Error).message).toContain('1m, 5m');
    }
  });
});
