import { randomBytes } from 'node:crypto';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A new operation id `op_{type}_{YYYYMMDD_HHMMSS}_{8 hex}` (UTC), the Python KTRDR format. The type
 * is lower-cased and anything but letters, digits and `_` becomes `_`, so every id it makes passes
 * {@link isOperationId} (`data-load` gives `op_data_load_...`).
 */
export function createOperationId(type: string, now: Date = new Date()): string {
  const slug = type.toLowerCase().replace(/[^a-z0-9_]/g, '_') || 'operation';
  const stamp =
    `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}_` +
    `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `op_${slug}_${stamp}_${randomBytes(4).toString('hex')}`;
}

/** True for strings in the operation id format. */
export function isOperationId(value: string): boolean {
  return /^op_[a-z0-9_]+_\d{8}_\d{6}_[0-9a-f]{8}$/.test(value);
}
