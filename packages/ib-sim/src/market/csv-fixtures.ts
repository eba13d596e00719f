/**
 * Fixture bars from CSV: `date,open,high,low,close,volume` with ISO-8601 UTC dates
 * (`2024-01-02T14:30:00Z`, or `2024-01-02` for daily bars). Used to serve known data in tests.
 */
import { readFile } from 'node:fs/promises';

/** One bar of fixture data. `time` is the bar's start. */
export interface FixtureBar {
  readonly time: Date;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const COLUMNS = ['date', 'open', 'high', 'low', 'close', 'volume'] as const;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00))?$/i;

function parseDate(text: string, line: number): Date {
  if (!ISO_UTC.test(text)) {
    throw new TypeError(
      `CSV line ${line}: date "${text}" is not an ISO UTC date (use 2024-01-02T14:30:00Z or 2024-01-02)`,
    );
  }
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) throw new TypeError(`CSV line ${line}: invalid date "${text}"`);
  return date;
}

function parseNumber(text: string | undefined, column: string, line: number): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
    throw new TypeError(`CSV line ${line}: column "${column}" must be a number, got "${text ?? ''}"`);
  }
  return value;
}

/**
 * Parses fixture CSV text. The header row is required; columns may come in any order and extra
 * columns are ignored. Throws a `TypeError` naming the line for malformed rows or inconsistent
 * OHLC (high below open/close, low above them, negative volume).
 */
export function parseBarsCsv(text: string): FixtureBar[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((name) => name.trim().toLowerCase());
  const index = Object.fromEntries(COLUMNS.map((column) => [column, header.indexOf(column)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const missing = COLUMNS.filter((column) => index[column] < 0);
  if (missing.length > 0) {
    throw new TypeError(`CSV header must contain ${COLUMNS.join(',')}; missing: ${missing.join(', ')}`);
  }
  const bars: FixtureBar[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const raw = lines[i]?.trim() ?? '';
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = raw.split(',').map((cell) => cell.trim());
    const line = i + 1;
    const bar: FixtureBar = {
      time: parseDate(cells[index.date] ?? '', line),
      open: parseNumber(cells[index.open], 'open', line),
      high: parseNumber(cells[index.high], 'high', line),
      low: parseNumber(cells[index.low], 'low', line),
      close: parseNumber(cells[index.close], 'close', line),
      volume: parseNumber(cells[index.volume], 'volume', line),
    };
    if (
      bar.high < Math.max(bar.open, bar.close) ||
      bar.low > Math.min(bar.open, bar.close) ||
      bar.volume < 0
    ) {
      throw new TypeError(
        `CSV line ${line}: inconsistent bar (need low <= open,close <= high and volume >= 0)`,
      );
    }
    bars.push(bar);
  }
  return bars;
}

/** Reads and parses a fixture CSV file (see {@link parseBarsCsv}). */
export async function readBarsCsvFile(path: string): Promise<FixtureBar[]> {
  return parseBarsCsv(await readFile(path, 'utf8'));
}
