import { formatIsoUtc } from '../domain/dates';

const DAY_MS = 86_400_000;
// Years 0000-9999: where `toISOString` writes four digits, so the day's prefix has a fixed form.
const MIN_MS = -62_167_219_200_000; // 0000-01-01
const MAX_MS = 253_402_300_800_000; // 10000-01-01
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** `YYYY-MM-DDT` by day number; bounded, since series spread over decades rarely need more. */
const dayPrefixes = new Map<number, string>();
const MAX_DAYS = 20_000;

/**
 * {@link formatIsoUtc} (`2024-01-31T14:30:00Z`) for the wire, about ten times faster: the date part
 * is formatted once per day and kept, the time of day is arithmetic. `toISOString` costs about
 * 2 us, which for a 100-bar answer was most of its serialisation. Same text for every input.
 */
export function wireDate(ms: number): string {
  if (!Number.isInteger(ms) || ms < MIN_MS || ms >= MAX_MS) return formatIsoUtc(ms);
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= MAX_DAYS) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const seconds = Math.floor((ms - day * DAY_MS) / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${prefix}${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}:${TWO_DIGITS[seconds % 60]}Z`;
}
