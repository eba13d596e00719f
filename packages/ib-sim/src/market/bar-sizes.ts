/** IB bar size settings and their lengths. */

/** How a bar size buckets time. */
export type BarUnit = 'seconds' | 'day' | 'week' | 'month';

/** A parsed bar size. */
export interface BarSize {
  /** The setting as IB spells it (`1 min`, `1 day`). */
  readonly setting: string;
  readonly unit: BarUnit;
  /** Length in seconds for intraday sizes; nominal length for day (86400), week and month. */
  readonly seconds: number;
}

const DAY = 86400;

const INTRADAY: readonly (readonly [string, number])[] = [
  ['1 secs', 1],
  ['5 secs', 5],
  ['10 secs', 10],
  ['15 secs', 15],
  ['30 secs', 30],
  ['1 min', 60],
  ['2 mins', 120],
  ['3 mins', 180],
  ['5 mins', 300],
  ['10 mins', 600],
  ['15 mins', 900],
  ['20 mins', 1200],
  ['30 mins', 1800],
  ['1 hour', 3600],
  ['2 hours', 7200],
  ['3 hours', 10800],
  ['4 hours', 14400],
  ['8 hours', 28800],
];

const SIZES: readonly BarSize[] = [
  ...INTRADAY.map(([setting, seconds]): BarSize => ({ setting, unit: 'seconds', seconds })),
  { setting: '1 day', unit: 'day', seconds: DAY },
  { setting: '1 week', unit: 'week', seconds: 7 * DAY },
  { setting: '1 month', unit: 'month', seconds: 30 * DAY },
];

/** IB's own short spellings for week and month, listed as legal in its error 321 text. */
const ALIASES: Readonly<Record<string, string>> = { '1W': '1 week', '1M': '1 month' };

/** Every bar size setting IB accepts, in ascending order. */
export const BAR_SIZE_SETTINGS: readonly string[] = SIZES.map((size) => size.setting);

/** Parses a bar size setting exactly as IB spells it; `undefined` when IB would reject it. */
export function parseBarSize(text: string): BarSize | undefined {
  const setting = ALIASES[text] ?? text;
  return SIZES.find((size) => size.setting === setting);
}
