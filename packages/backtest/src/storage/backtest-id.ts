import { randomBytes } from 'node:crypto';
import { ValidationError } from '@ktrdr/core';

/** A backtest id: `bt_{YYYYMMDD_HHMMSS}_{8 hex}`, UTC, as operation ids are made. */
export const BACKTEST_ID_PATTERN = /^bt_\d{8}_\d{6}_[0-9a-f]{8}$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** A new backtest id stamped `now`. */
export function createBacktestId(now: Date = new Date()): string {
  const stamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}_` +
    `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `bt_${stamp}_${randomBytes(4).toString('hex')}`;
}

/**
 * `id` when it is a backtest id; the pattern admits no separator or dot, so no id names a path
 * outside the backtests folder.
 * @throws ValidationError otherwise.
 */
export function validateBacktestId(id: string): string {
  if (!BACKTEST_ID_PATTERN.test(id)) {
    throw new ValidationError(
      `Invalid backtest id '${id.slice(0, 80)}': ids look like bt_20260107_123000_1a2b3c4d, as ktrdr backtest list shows them`,
      { details: { field: 'backtest_id' } },
    );
  }
  return id;
}
