import { InternalError, ValidationError } from '@ktrdr/core';

/** Every `barSizeSetting` IB accepts for historical bars. */
export const IB_BAR_SIZES = [
  '1 secs',
  '5 secs',
  '10 secs',
  '15 secs',
  '30 secs',
  '1 min',
  '2 mins',
  '3 mins',
  '5 mins',
  '10 mins',
  '15 mins',
  '20 mins',
  '30 mins',
  '1 hour',
  '2 hours',
  '3 hours',
  '4 hours',
  '8 hours',
  '1 day',
  '1 week',
  '1 month',
] as const;

/** One of {@link IB_BAR_SIZES}. */
export type IbBarSize = (typeof IB_BAR_SIZES)[number];

/** A historical request span: IB's own form (`'5 D'`, `'3600 S'`, `'1 Y'`) or a number of days. */
export type IbDuration = string | { days: number };

const BAR_SIZE_SET: ReadonlySet<string> = new Set(IB_BAR_SIZES);
const DURATION_PATTERN = /^[1-9]\d* [SDWMY]$/;
const DAY_SECONDS = 86_400;

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  sec: 1,
  min: 60,
  hour: 3_600,
  day: 86_400,
  week: 604_800,
  month: 2_592_000,
};

/** Nominal length of an IB bar size in seconds (`'30 secs'` 30, `'1 hour'` 3600; a month is 30 days). */
export function ibBarSeconds(barSize: IbBarSize): number {
  const [count, unit = ''] = barSize.split(' ');
  return Number(count) * (UNIT_SECONDS[unit.replace(/s$/, '')] ?? 0);
}

/** True when `value` is one of IB's bar sizes. */
export function isIbBarSize(value: unknown): value is IbBarSize {
  return typeof value === 'string' && BAR_SIZE_SET.has(value);
}

/**
 * `end` as IB's UTC `endDateTime` form `yyyyMMdd-HH:mm:ss`. The explicit UTC form avoids both the
 * gateway's local time zone and warning 2174 (date-time without a time zone).
 */
export function formatIbEndDateTime(end: Date): string {
  if (!(end instanceof Date) || Number.isNaN(end.getTime())) {
    throw new ValidationError(`Historical request end must be a valid Date, got ${String(end)}.`, {
      details: { field: 'end' },
    });
  }
  const iso = end.toISOString(); // 2024-03-01T14:30:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
}

/**
 * IB's `durationStr` for a span. Whole days up to a year become `N D`; less than a day becomes
 * seconds (`N S`); a fraction above one day rounds up to whole days and more than a year to whole
 * years, both of which over-fetch slightly rather than miss bars.
 */
export function toIbDuration(duration: IbDuration): string {
  if (typeof duration === 'string') {
    const text = duration.trim();
    if (!DURATION_PATTERN.test(text)) {
      throw new ValidationError(
        `Invalid IB duration '${duration}': use '<positive integer> <S|D|W|M|Y>' such as '5 D', or { days: n }.`,
        { details: { field: 'duration', value: duration } },
      );
    }
    return text;
  }
  const days = duration?.days;
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0) {
    throw new ValidationError(`Invalid duration { days: ${String(days)} }: days must be a positive number.`, {
      details: { field: 'duration', value: days },
    });
  }
  if (days < 1) return `${Math.max(1, Math.ceil(days * DAY_SECONDS))} S`;
  if (days <= 365) return `${Math.ceil(days)} D`;
  return `${Math.ceil(days / 365)} Y`;
}

/**
 * A bar's time as epoch milliseconds UTC. IB sends epoch seconds for intraday bars requested with
 * formatDate=2, and `yyyyMMdd` for daily, weekly and monthly bars whatever formatDate says: those
 * become UTC midnight of that date. `yyyyMMdd[ -]HH:mm:ss` with no zone or an explicit UTC/GMT zone
 * is read as UTC.
 */
export function parseIbBarTime(text: string): number {
  const value = text.trim();
  if (/^\d{8}$/.test(value)) {
    const ms = Date.UTC(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8)));
    if (!Number.isNaN(ms)) return ms;
  } else if (/^\d{9,11}$/.test(value)) {
    return Number(value) * 1000;
  } else {
    const match =
      /^(\d{4})(\d{2})(\d{2})[ -]+(\d{2}):(\d{2}):(\d{2})(?:\s+(UTC|GMT|Etc\/UTC|Etc\/GMT))?$/.exec(value);
    if (match !== null) {
      const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
      return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
    }
  }
  throw new InternalError(
    `Unexpected IB time format '${text}': expected epoch seconds, yyyyMMdd or yyyyMMdd-HH:mm:ss in UTC.`,
    { details: { value: text } },
  );
}
