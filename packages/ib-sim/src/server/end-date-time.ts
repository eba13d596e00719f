/**
 * Parses a historical request's `endDateTime`:
 * - empty: now;
 * - `yyyyMMdd-HH:mm:ss`: UTC;
 * - `yyyyMMdd HH:mm:ss <zone>` (IANA or IB's `US/Eastern` style): in that zone;
 * - `yyyyMMdd HH:mm:ss` without a zone: accepted with warning 2174, read in the gateway's zone, which
 *   for the simulator is UTC (see `formatConnectionTime`);
 * - the date may be omitted (today in that zone), as IB's error text says. Older gateways printed two
 *   spaces between date and time, so any run of spaces is accepted.
 */
import { daysFromCivil, daysInMonth } from '../market/civil-date';
import { isKnownTimeZone, zonedParts, zonedTimeToEpoch } from '../market/time-zones';

/** Result of parsing `endDateTime`. */
export type EndDateTime =
  | {
      readonly ok: true;
      readonly epochSeconds: number;
      readonly missingTimeZone: boolean;
      readonly now: boolean;
    }
  | { readonly ok: false };

const UTC_FORM = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})$/;
const ZONED_FORM = /^(?:(\d{4})(\d{2})(\d{2})\s+)?(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/;

/** The zone zone-less dates are read in: the simulated gateway runs in UTC. */
export const GATEWAY_TIME_ZONE = 'UTC';

function toEpoch(
  zone: string,
  fields: readonly (string | undefined)[],
  nowSeconds: number,
): number | undefined {
  const [y, mo, d, h, mi, s] = fields.map((field) => (field === undefined ? undefined : Number(field)));
  if (h === undefined || mi === undefined || s === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  let day: number;
  if (y === undefined || mo === undefined || d === undefined) {
    day = zonedParts(zone, nowSeconds).dayNumber;
  } else {
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
    day = daysFromCivil(y, mo, d);
  }
  return zonedTimeToEpoch(zone, day, h, mi, s);
}

/** Parses `endDateTime`; `nowSeconds` resolves an empty value or a missing date. */
export function parseEndDateTime(text: string, nowSeconds: number): EndDateTime {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, epochSeconds: nowSeconds, missingTimeZone: false, now: true };
  const utc = UTC_FORM.exec(trimmed);
  if (utc) {
    const epochSeconds = toEpoch('UTC', utc.slice(1), nowSeconds);
    return epochSeconds === undefined
      ? { ok: false }
      : { ok: true, epochSeconds, missingTimeZone: false, now: false };
  }
  const zoned = ZONED_FORM.exec(trimmed);
  if (!zoned) return { ok: false };
  const zone = zoned[7];
  if (zone !== undefined && !isKnownTimeZone(zone)) return { ok: false };
  const epochSeconds = toEpoch(zone ?? GATEWAY_TIME_ZONE, zoned.slice(1, 7), nowSeconds);
  if (epochSeconds === undefined) return { ok: false };
  return { ok: true, epochSeconds, missingTimeZone: zone === undefined, now: false };
}
