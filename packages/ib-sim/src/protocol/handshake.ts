/**
 * The V100+ connection handshake: the client sends `API\0`, then one length-prefixed frame holding a
 * version range such as `v100..193` (no trailing NUL), and the server answers with one frame
 * `[serverVersion, connectionTime]` that has no message id.
 */

/** The four bytes a V100+ client sends before anything else. */
export const API_PREFIX = Buffer.from('API\0', 'latin1');

/**
 * Oldest server version whose message layouts the simulator writes. Below 164 CONTRACT_DATA still
 * carries a version field and other layouts differ, which the simulator does not implement.
 */
export const MIN_SUPPORTED_SERVER_VERSION = 164;

/** Newest server version the simulator (and @stoqey/ib 1.6.10) speaks. */
export const MAX_SUPPORTED_SERVER_VERSION = 193;

/** The version range a client announced. */
export interface ClientVersionRange {
  readonly min: number;
  readonly max: number;
  /** Connect options after the range (e.g. `+PACEAPI`), if any. */
  readonly connectOptions: string;
}

/** Parses `v100..193`, `v176` or `v100..193 +PACEAPI`; `undefined` when the text is not a range. */
export function parseClientVersionRange(text: string): ClientVersionRange | undefined {
  const match = /^v(\d+)(?:\.\.(\d+))?(?:\s+(.*))?$/.exec(text.replace(/\0+$/, '').trim());
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) return undefined;
  return { min, max, connectOptions: match[3] ?? '' };
}

/**
 * Picks the version to announce, as a gateway does: the highest version both sides support.
 * `undefined` means there is no overlap (the gateway then closes the connection).
 */
export function negotiateServerVersion(range: ClientVersionRange, serverMax: number): number | undefined {
  const version = Math.min(range.max, serverMax);
  if (version < range.min || version < MIN_SUPPORTED_SERVER_VERSION) return undefined;
  return version;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Connection time as IB Gateway writes it in the handshake reply, e.g.
 * `20240229 12:41:55 Greenwich Mean Time`. The simulator behaves like a gateway whose host runs in
 * UTC (typical for containerised gateways), which is also the zone it assumes for zone-less dates.
 */
export function formatConnectionTime(date: Date): string {
  const ymd = `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}`;
  const hms = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  return `${ymd} ${hms} Greenwich Mean Time`;
}
