/**
 * Calendar rules behind the sessions: NYSE holidays with observed dates, early closes, and time-zone
 * conversion across DST (computed with Intl only).
 */
import { describe, expect, it } from 'vitest';
import { isNyseEarlyClose, isNyseTradingDay, nyseHolidays } from '../src/index';
import { daysFromCivil, formatYmd } from '../src/market/civil-date';
import { zonedTimeToEpoch } from '../src/market/time-zones';

const ymds = (days: ReadonlySet<number>): string[] => [...days].sort((a, b) => a - b).map(formatYmd);

describe('NYSE calendar', () => {
  it('computes the 2024 holidays', () => {
    expect(ymds(nyseHolidays(2024))).toEqual([
      '20240101',
      '20240115',
      '20240219',
      '20240329',
      '20240527',
      '20240619',
      '20240704',
      '20240902',
      '20241128',
      '20241225',
    ]);
  });

  it('applies observed-day rules and Juneteenth only from 2022', () => {
    const y2021 = ymds(nyseHolidays(2021));
    expect(y2021).toContain('20210705'); // July 4 on Sunday -> Monday
    expect(y2021).toContain('20211224'); // Christmas on Saturday -> Friday
    expect(y2021).not.toContain('20210618'); // no Juneteenth yet
    expect(ymds(nyseHolidays(2022))).not.toContain('20211231'); // Saturday New Year is not observed
    expect(ymds(nyseHolidays(2022))).toContain('20220620'); // Juneteenth on Sunday -> Monday
    expect(ymds(nyseHolidays(2023))).toContain('20230102'); // New Year on Sunday -> Monday
    expect(ymds(nyseHolidays(2023))).toContain('20230407'); // Good Friday
  });

  it('knows trading days and early closes', () => {
    expect(isNyseTradingDay(daysFromCivil(2024, 3, 15))).toBe(true);
    expect(isNyseTradingDay(daysFromCivil(2024, 3, 16))).toBe(false);
    expect(isNyseTradingDay(daysFromCivil(2024, 3, 29))).toBe(false);
    expect(isNyseEarlyClose(daysFromCivil(2024, 7, 3))).toBe(true);
    expect(isNyseEarlyClose(daysFromCivil(2024, 11, 29))).toBe(true);
    expect(isNyseEarlyClose(daysFromCivil(2024, 12, 24))).toBe(true);
    expect(isNyseEarlyClose(daysFromCivil(2021, 12, 24))).toBe(false); // a holiday that year
    expect(isNyseEarlyClose(daysFromCivil(2024, 7, 5))).toBe(false);
  });
});

describe('time zones', () => {
  it('converts New York wall-clock times across both DST changes of 2024', () => {
    expect(zonedTimeToEpoch('America/New_York', daysFromCivil(2024, 3, 8), 9, 30)).toBe(
      Date.UTC(2024, 2, 8, 14, 30) / 1000,
    );
    expect(zonedTimeToEpoch('America/New_York', daysFromCivil(2024, 3, 11), 9, 30)).toBe(
      Date.UTC(2024, 2, 11, 13, 30) / 1000,
    );
    expect(zonedTimeToEpoch('America/New_York', daysFromCivil(2024, 11, 4), 9, 30)).toBe(
      Date.UTC(2024, 10, 4, 14, 30) / 1000,
    );
    expect(zonedTimeToEpoch('America/Chicago', daysFromCivil(2024, 7, 1), 17, 0)).toBe(
      Date.UTC(2024, 6, 1, 22, 0) / 1000,
    );
  });
});
