import { ValidationError } from '@ktrdr/core/errors';
import { BarFrame } from '../domain/bar-frame';
import type { BarColumns } from '../domain/bars';
import { DAY_MS, daysFromCivil } from '../domain/civil-date';

/** The header the store writes and the Python KTRDR reads and writes. */
export const CSV_HEADER = 'date,open,high,low,close,volume';

// Column roles by header name. The Python store names the index `date`; the others are accepted so
// hand-made files load too.
const TIME_NAMES = new Set(['date', 'datetime', 'timestamp', 'time']);
const VALUE_NAMES = ['open', 'high', 'low', 'close', 'volume'] as const;
const SKIP = -1;
const TIME = 0;

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Exact powers of ten, shared with the writer. */
// Exact powers of ten: a decimal with at most 15 significant digits divided by one of these is
// correctly rounded (Clinger's fast path), i.e. bit-identical to Number(text).
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Parses a bar CSV from raw bytes without decoding it to a string or splitting lines: one pass over
 * the buffer, dates and numbers read digit by digit into typed columns. Accepts the Python KTRDR
 * layout (`date,open,high,low,close,volume`, `YYYY-MM-DDTHH:MM:SSZ`) and the variants pandas
 * writes: `+00:00` or other offsets, a space instead of `T`, fractional seconds, no offset (read as
 * UTC), date-only rows, CRLF line ends, a UTF-8 BOM, empty values (NaN), columns in any order.
 * Rows out of order are sorted; on a repeated time the later row wins. A spelled-out `nan` is an
 * error: pandas writes missing values as empty fields. The last row needs no line end here; for the
 * contents of a file, whose unterminated last row is a torn write, use {@link parseBarsCsvFile}.
 *
 * @param label names the source in error messages (usually the file path).
 * @throws ValidationError (`details.field = 'csv'`, with `line`) on a malformed header or row.
 */
export function parseBarsCsv(bytes: Uint8Array, label = 'CSV data'): BarFrame {
  const length = bytes.length;
  let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let headerEnd = bytes.indexOf(LF, pos);
  if (headerEnd < 0) headerEnd = length;
  const roles = readHeader(decodeLatin1(bytes, pos, headerEnd), label);
  const fieldCount = roles.length;
  pos = Math.min(length, headerEnd + 1);

  let capacity = estimateRows(bytes, pos);
  let columns = allocate(capacity);
  let values = [columns.open, columns.high, columns.low, columns.close, columns.volume];
  let rows = 0;
  let line = 2;

  while (pos < length) {
    const first = bytes[pos];
    if (first === LF) {
      pos++;
      line++;
      continue;
    }
    if (first === CR && (pos + 1 === length || bytes[pos + 1] === LF)) {
      pos += 2;
      line++;
      continue;
    }
    if (rows === capacity) {
      capacity = Math.ceil(capacity * 1.5) + 1024;
      columns = grow(columns, rows, capacity);
      values = [columns.open, columns.high, columns.low, columns.close, columns.volume];
    }
    for (let field = 0; field < fieldCount; field++) {
      const role = roles[field] as number;
      const lead = bytes[pos];
      if (role > TIME && lead !== QUOTE) {
        // Numbers are read while scanning, in one pass; anything unusual (exponents, 'nan', more
        // than 15 digits) falls back to the slow path below.
        let i = pos;
        let c = lead;
        let negative = false;
        if (c === 45 || c === 43) {
          negative = c === 45;
          c = bytes[++i];
        }
        let mantissa = 0;
        let digits = 0;
        let scale = 0;
        while (c !== undefined && c >= 48 && c <= 57) {
          mantissa = mantissa * 10 + (c - 48);
          digits++;
          c = bytes[++i];
        }
        if (c === 46) {
          c = bytes[++i];
          while (c !== undefined && c >= 48 && c <= 57) {
            mantissa = mantissa * 10 + (c - 48);
            digits++;
            scale++;
            c = bytes[++i];
          }
        }
        let value: number;
        if ((c === COMMA || c === LF || c === CR || c === undefined) && digits > 0 && digits <= 15) {
          value = scale === 0 ? mantissa : mantissa / (POW10[scale] as number);
          if (negative) value = -value;
          pos = i;
        } else {
          const start = pos;
          while (pos < length) {
            const b = bytes[pos] as number;
            if (b === COMMA || b === LF || b === CR) break;
            pos++;
          }
          value = parseNumberSlow(bytes, start, pos, label, line, field);
        }
        (values[role - 1] as Float64Array)[rows] = value;
      } else {
        let start = pos;
        let end: number;
        if (lead === QUOTE) {
          end = bytes.indexOf(QUOTE, pos + 1);
          if (end < 0) throw rowError(label, line, 'unterminated quote');
          start = pos + 1;
          pos = end + 1;
        } else {
          while (pos < length) {
            const b = bytes[pos] as number;
            if (b === COMMA || b === LF || b === CR) break;
            pos++;
          }
          end = pos;
        }
        if (role === TIME) {
          const time = parseDate(bytes, start, end);
          if (Number.isNaN(time)) {
            throw rowError(
              label,
              line,
              `invalid date '${decodeLatin1(bytes, start, end)}' (expected YYYY-MM-DDTHH:MM:SSZ)`,
            );
          }
          columns.time[rows] = time;
        } else if (role !== SKIP) {
          (values[role - 1] as Float64Array)[rows] = parseNumberSlow(bytes, start, end, label, line, field);
        }
      }
      if (field < fieldCount - 1) {
        if (bytes[pos] !== COMMA)
          throw rowError(label, line, `expected ${fieldCount} fields, found ${field + 1}`);
        pos++;
      } else if (pos < length && bytes[pos] === COMMA) {
        throw rowError(label, line, `expected ${fieldCount} fields, found more`);
      }
    }
    if (bytes[pos] === CR) pos++;
    if (pos < length) {
      if (bytes[pos] !== LF) throw rowError(label, line, 'unexpected character after the last field');
      pos++;
    }
    rows++;
    line++;
  }
  return BarFrame.fromColumns(trim(columns, rows, capacity));
}

/** A last line without a line end: what a write cut short leaves. */
export interface TornLine {
  /** 1-based line number. */
  line: number;
  /** The line as found (at most 200 characters). */
  text: string;
}

/** The result of {@link parseBarsCsvFile}. */
export interface ParsedBarsCsv {
  frame: BarFrame;
  /** The torn last line, which is not in `frame`; `undefined` when the file ends with a line end. */
  torn: TornLine | undefined;
}

/**
 * Parses a bar file's bytes like {@link parseBarsCsv}, except that a last line without a line end is
 * a torn write (a writer cut off mid-row, such as `...,185.64,` with its volume missing): it is left
 * out of the frame, never served, and reported as `torn`. A header cut short, with no row after it,
 * is torn too (an empty series); a complete header alone is an empty series.
 * @throws ValidationError (`details.field = 'csv'`, with `file` and `line`) on a malformed header or row.
 */
export function parseBarsCsvFile(bytes: Uint8Array, label = 'CSV data'): ParsedBarsCsv {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const lastLf = bytes.lastIndexOf(LF);
  const tailStart = Math.max(start, lastLf + 1);
  const tail = decodeLatin1(bytes, tailStart, bytes.length);
  if (tail.trim() === '') return { frame: parseBarsCsv(bytes, label), torn: undefined };
  const torn = { line: countLineEnds(bytes, tailStart) + 1, text: tail.slice(0, 200) };
  if (lastLf < 0) {
    // Only a header: one cut short holds no bar, anything else is checked as a header.
    const cut = tail.replace(/\r$/, '');
    if (cut !== CSV_HEADER && CSV_HEADER.startsWith(cut)) return { frame: BarFrame.empty(), torn };
    return { frame: parseBarsCsv(bytes, label), torn: undefined };
  }
  return { frame: parseBarsCsv(bytes.subarray(0, lastLf + 1), label), torn };
}

function countLineEnds(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(LF); i >= 0 && i < end; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}

function readHeader(header: string, label: string): number[] {
  const names = header
    .replace(/\r$/, '')
    .split(',')
    .map((name) =>
      name
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    );
  const roles = names.map((name) => {
    if (TIME_NAMES.has(name)) return TIME;
    const index = (VALUE_NAMES as readonly string[]).indexOf(name);
    return index < 0 ? SKIP : index + 1;
  });
  const missing = ['date', ...VALUE_NAMES].filter((_, role) => roles.filter((r) => r === role).length !== 1);
  if (missing.length > 0) {
    throw new ValidationError(
      `${label}: header '${header.slice(0, 120)}' must name each of ${CSV_HEADER} exactly once (problem: ${missing.join(', ')}).`,
      { details: { field: 'csv', file: label, line: 1, header: header.slice(0, 200) } },
    );
  }
  return roles;
}

function rowError(label: string, line: number, problem: string): ValidationError {
  return new ValidationError(`${label}: line ${line}: ${problem}.`, {
    details: { field: 'csv', file: label, line },
  });
}

function decodeLatin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString('latin1');
}

/** Capacity guess from the mean length of the first rows, so large files rarely regrow. */
function estimateRows(bytes: Uint8Array, from: number): number {
  let pos = from;
  let lines = 0;
  while (lines < 64) {
    const next = bytes.indexOf(LF, pos);
    if (next < 0) break;
    pos = next + 1;
    lines++;
  }
  if (lines === 0) return 16;
  const mean = (pos - from) / lines;
  return Math.ceil(((bytes.length - from) / mean) * 1.05) + 16;
}

function allocate(capacity: number): BarColumns {
  return {
    time: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
  };
}

function grow(columns: BarColumns, rows: number, capacity: number): BarColumns {
  const next = allocate(capacity);
  for (const key of Object.keys(columns) as (keyof BarColumns)[])
    next[key].set(columns[key].subarray(0, rows));
  return next;
}

/** Exact-size columns: views when little is wasted, copies otherwise (so spare capacity is freed). */
function trim(columns: BarColumns, rows: number, capacity: number): BarColumns {
  const copy = capacity - rows > (capacity >> 3) + 64;
  const out = {} as BarColumns;
  for (const key of Object.keys(columns) as (keyof BarColumns)[]) {
    out[key] = copy ? columns[key].slice(0, rows) : columns[key].subarray(0, rows);
  }
  return out;
}

/**
 * Numbers the fast path in the row loop declines: exponents, long mantissas, quoted values and
 * pandas' spellings of infinities. Empty is NaN (pandas writes missing values so); `nan` is an error.
 */
function parseNumberSlow(
  bytes: Uint8Array,
  start: number,
  end: number,
  label: string,
  line: number,
  field: number,
): number {
  const text = decodeLatin1(bytes, start, end);
  const lower = text.trim().toLowerCase();
  // Empty is how pandas (and so the Python KTRDR) writes a missing value, and how we write NaN; any
  // spelled-out NaN comes from some other tool or a damaged file.
  if (lower === '') return Number.NaN;
  if (lower === 'nan' || lower === '-nan' || lower === '+nan') {
    throw rowError(
      label,
      line,
      `'${text}' in column ${field + 1} is not a number (a missing value is written as an empty field)`,
    );
  }
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  const value = Number(lower);
  if (Number.isNaN(value)) throw rowError(label, line, `invalid number '${text}' in column ${field + 1}`);
  return value;
}

// Rows mostly share their date with the previous row: remember the last day number computed.
let lastDateKey = -1;
let lastDays = 0;

function digit2(bytes: Uint8Array, i: number): number {
  const a = (bytes[i] as number) - 48;
  const b = (bytes[i + 1] as number) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Reads `YYYY-MM-DD[(T| )HH:MM[:SS[.fff...]]][Z|±HH[:]MM]` as UTC epoch ms (no offset = UTC);
 * NaN when malformed. Fractions beyond milliseconds are truncated.
 */
function parseDate(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 10 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return Number.NaN;
  const century = digit2(bytes, start);
  const yy = digit2(bytes, start + 2);
  const month = digit2(bytes, start + 5);
  const day = digit2(bytes, start + 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  const year = century * 100 + yy;
  const key = year * 10_000 + month * 100 + day;
  if (key !== lastDateKey) {
    const days = daysFromCivil(year, month, day);
    // Reject 2023-02-30 and the like rather than rolling into the next month.
    if (
      day > 28 &&
      daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - days < 1
    ) {
      return Number.NaN;
    }
    lastDateKey = key;
    lastDays = days;
  }
  let ms = lastDays * DAY_MS;
  let i = start + 10;
  if (i === end) return ms;
  const separator = bytes[i];
  if ((separator !== 84 && separator !== 32 && separator !== 116) || end - i < 6 || bytes[i + 3] !== 58)
    return Number.NaN;
  const hour = digit2(bytes, i + 1);
  const minute = digit2(bytes, i + 4);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
  ms += hour * 3_600_000 + minute * 60_000;
  i += 6;
  if (i < end && bytes[i] === 58) {
    const second = digit2(bytes, i + 1);
    if (second < 0 || second > 59 || i + 3 > end) return Number.NaN;
    ms += second * 1000;
    i += 3;
    if (i < end && bytes[i] === 46) {
      let scale = 100;
      let fraction = 0;
      let count = 0;
      for (i++; i < end; i++, count++) {
        const d = (bytes[i] as number) - 48;
        if (d < 0 || d > 9) break;
        fraction += d * scale;
        scale /= 10;
      }
      if (count === 0) return Number.NaN;
      ms += Math.floor(fraction);
    }
  }
  if (i === end) return ms;
  const zone = bytes[i];
  if ((zone === 90 || zone === 122) && i + 1 === end) return ms; // Z
  if (zone !== 43 && zone !== 45) return Number.NaN;
  const offsetHours = digit2(bytes, i + 1);
  const colon = bytes[i + 3] === 58 ? 1 : 0;
  const offsetMinutes = end - i === 3 ? 0 : digit2(bytes, i + 3 + colon);
  if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return Number.NaN;
  if (end !== i + 3 && end !== i + 5 + colon) return Number.NaN;
  const offset = offsetHours * 3_600_000 + offsetMinutes * 60_000;
  return zone === 43 ? ms - offset : ms + offset;
}
