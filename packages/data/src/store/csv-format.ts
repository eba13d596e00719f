import { ValidationError } from '@ktrdr/core/errors';
import type { BarFrame } from '../domain/bar-frame';
import { DAY_MS, civilFromDays } from '../domain/civil-date';
import { CSV_HEADER, POW10 } from './csv-parse';

// Longest row: a 20-byte date plus five 24-byte numbers and separators; 192 leaves room.
const MAX_ROW_BYTES = 192;
const SECOND_MS = 1000;

/**
 * Serialises bars in the Python KTRDR layout: header `date,open,high,low,close,volume`, dates
 * `YYYY-MM-DDTHH:MM:SSZ`, numbers in shortest round-trip form with integral values written `100.0`
 * like pandas writes float64 (so pandas keeps the columns as floats), NaN as an empty field,
 * infinities as `inf`/`-inf`. Sub-second parts of times are dropped, as the format has none.
 * @throws ValidationError when a time lies outside years 0000-9999.
 */
export function formatBarsCsv(frame: BarFrame): Buffer {
  const { time, open, high, low, close, volume } = frame.columns();
  const rows = time.length;
  let buffer = Buffer.allocUnsafe(CSV_HEADER.length + 1 + rows * 64 + MAX_ROW_BYTES);
  let pos = buffer.write(`${CSV_HEADER}\n`, 0, 'latin1');
  const datePrefix = Buffer.alloc(11); // "YYYY-MM-DDT" of the current day
  let currentDay = Number.NaN;

  for (let i = 0; i < rows; i++) {
    if (pos + MAX_ROW_BYTES > buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.ceil(buffer.length * 1.5) + MAX_ROW_BYTES);
      buffer.copy(bigger, 0, 0, pos);
      buffer = bigger;
    }
    const t = Math.floor((time[i] as number) / SECOND_MS) * SECOND_MS;
    const day = Math.floor(t / DAY_MS);
    if (day !== currentDay) {
      const { year, month, day: dom } = civilFromDays(day);
      if (year < 0 || year > 9999) {
        throw new ValidationError(`Bar ${i} has a time outside years 0000-9999 (${time[i]}).`, {
          details: { field: 'time', index: i },
        });
      }
      writeDigits(datePrefix, 0, year, 4);
      datePrefix[4] = 45;
      writeDigits(datePrefix, 5, month, 2);
      datePrefix[7] = 45;
      writeDigits(datePrefix, 8, dom, 2);
      datePrefix[10] = 84;
      currentDay = day;
    }
    datePrefix.copy(buffer, pos);
    pos += 11;
    let secondOfDay = (t - day * DAY_MS) / SECOND_MS;
    const hour = Math.floor(secondOfDay / 3600);
    secondOfDay -= hour * 3600;
    const minute = Math.floor(secondOfDay / 60);
    pos = writeDigits(buffer, pos, hour, 2);
    buffer[pos++] = 58;
    pos = writeDigits(buffer, pos, minute, 2);
    buffer[pos++] = 58;
    pos = writeDigits(buffer, pos, secondOfDay - minute * 60, 2);
    buffer[pos++] = 90;
    buffer[pos++] = 44;
    pos = writeNumber(buffer, pos, open[i] as number);
    buffer[pos++] = 44;
    pos = writeNumber(buffer, pos, high[i] as number);
    buffer[pos++] = 44;
    pos = writeNumber(buffer, pos, low[i] as number);
    buffer[pos++] = 44;
    pos = writeNumber(buffer, pos, close[i] as number);
    buffer[pos++] = 44;
    pos = writeNumber(buffer, pos, volume[i] as number);
    buffer[pos++] = 10;
  }
  return buffer.subarray(0, pos);
}

/**
 * Writes a non-negative integer below 2^53 zero-padded to `width` digits; returns the next position.
 * Uses floor-division rather than `%`, which is a slow fmod call on values beyond 32 bits.
 */
function writeDigits(buffer: Buffer, pos: number, value: number, width: number): number {
  for (let k = width - 1; k >= 0; k--) {
    let quotient = Math.floor(value / 10);
    let digit = value - quotient * 10;
    if (digit < 0) {
      quotient--;
      digit += 10;
    }
    buffer[pos + k] = 48 + digit;
    value = quotient;
  }
  return pos + width;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Writes the shortest decimal with at most 15 fraction digits that reads back as exactly `value`
 * (`m / 10^k` is correctly rounded, so `Number(text) === value`), digit by digit: `String(value)`
 * plus a string write per number would triple the cost of a save. Values needing more precision
 * fall back to `String`, which is always round-trip exact.
 */
function writeNumber(buffer: Buffer, pos: number, value: number): number {
  if (Number.isNaN(value)) return pos;
  if (!Number.isFinite(value)) return pos + buffer.write(value > 0 ? 'inf' : '-inf', pos, 'latin1');
  let scale = 0;
  let mantissa = value;
  if (!Number.isInteger(value)) {
    mantissa = Number.NaN;
    for (let k = 1; k <= 15; k++) {
      const scaled = value * (POW10[k] as number);
      if (Math.abs(scaled) >= MAX_SAFE) break;
      const m = Math.round(scaled);
      if (m / (POW10[k] as number) === value) {
        mantissa = m;
        scale = k;
        break;
      }
    }
  }
  if (Number.isNaN(mantissa) || Math.abs(mantissa) >= MAX_SAFE)
    return pos + buffer.write(String(value), pos, 'latin1');
  if (mantissa < 0) {
    buffer[pos++] = 45;
    mantissa = -mantissa;
  }
  let digits = 1;
  for (let p = 10; p <= mantissa; p *= 10) digits++;
  if (scale === 0) {
    // Integral: ".0" as pandas writes float64, so pandas keeps reading the column as floats.
    pos = writeDigits(buffer, pos, mantissa, digits);
    buffer[pos++] = 46;
    buffer[pos++] = 48;
    return pos;
  }
  // Digits of the integer part (at least one, "0.0123"), the point, then exactly `scale` digits.
  const intDigits = Math.max(1, digits - scale);
  const fracPos = pos + intDigits + 1;
  const unit = POW10[scale] as number;
  let integer = Math.floor(mantissa / unit);
  let fraction = mantissa - integer * unit;
  if (fraction < 0) {
    integer--;
    fraction += unit;
  }
  writeDigits(buffer, fracPos, fraction, scale);
  writeDigits(buffer, pos, integer, intDigits);
  buffer[pos + intDigits] = 46;
  return fracPos + scale;
}
