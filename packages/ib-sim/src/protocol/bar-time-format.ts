/**
 * Time stamps as IB prints them in historical data:
 * - intraday bars, formatDate=1: `20231019 16:11:48 America/New_York` (local time of the instrument);
 * - intraday bars, formatDate=2: epoch seconds;
 * - daily and coarser bars: the trading date `20231019`, whatever formatDate says;
 * - head timestamps: `20231019-13:30:00` in UTC (formatDate=1) or epoch seconds (formatDate=2).
 * Formatting is arithmetic on pre-computed offsets (no Intl per bar): a year of minute bars is
 * hundreds of thousands of stamps.
 */
import { civilFromDays, formatYmd } from '../market/civil-date';
import { localSeconds } from '../market/time-zones';

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

/** Formats bar times for one zone, memoising the date part per local day. */
export class BarTimeFormatter {
  private readonly dayCache = new Map<number, string>();

  constructor(private readonly timeZone: string) {}

  private ymd(localDay: number): string {
    let text = this.dayCache.get(localDay);
    if (text === undefined) {
      text = formatYmd(localDay);
      this.dayCache.set(localDay, text);
    }
    return text;
  }

  /** Intraday bar time for a formatDate value (2 = epoch seconds, anything else = local text). */
  intraday(epochSeconds: number, formatDate: number): string {
    if (formatDate === 2) return String(epochSeconds);
    const local = localSeconds(this.timeZone, epochSeconds);
    const day = Math.floor(local / 86400);
    const second = local - day * 86400;
    const hh = TWO_DIGITS[Math.floor(second / 3600)] ?? '00';
    const mm = TWO_DIGITS[Math.floor((second % 3600) / 60)] ?? '00';
    const ss = TWO_DIGITS[second % 60] ?? '00';
    return `${this.ymd(day)} ${hh}:${mm}:${ss} ${this.timeZone}`;
  }

  /** Daily-bar label: the trading date. */
  daily(tradingDay: number): string {
    return this.ymd(tradingDay);
  }
}

/** Head timestamp text (`yyyyMMdd-HH:mm:ss` UTC, or epoch seconds for formatDate=2). */
export function formatHeadTimestamp(epochSeconds: number, formatDate: number): string {
  if (formatDate === 2) return String(epochSeconds);
  const day = Math.floor(epochSeconds / 86400);
  const second = epochSeconds - day * 86400;
  const { year, month, day: dom } = civilFromDays(day);
  const pad = (n: number): string => TWO_DIGITS[n] ?? String(n);
  return `${year}${pad(month)}${pad(dom)}-${pad(Math.floor(second / 3600))}:${pad(Math.floor((second % 3600) / 60))}:${pad(second % 60)}`;
}
