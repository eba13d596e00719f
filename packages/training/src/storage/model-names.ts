import path from 'node:path';
import { ValidationError } from '@ktrdr/core';

/** Strategy and symbol names: letters, digits, `.`, `_`, `-`; starting with a letter or digit. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/**
 * Timeframes (`1m`, `1h`, `1d`...), or several joined with `-` for a multi-timeframe model
 * (`1h-4h-1d`, base first): letters, digits and `-` only, so `{symbol}_{tf}_v{N}` parses unambiguously.
 */
const TIMEFRAME = /^[A-Za-z0-9]{1,16}(-[A-Za-z0-9]{1,16}){0,7}$/;

/** Which model: strategy, symbol and timeframe. */
export interface ModelKey {
  strategy: string;
  symbol: string;
  timeframe: string;
}

/**
 * Throws a {@link ValidationError} (`details.field`) unless every part of `key` is a safe single
 * path segment: no separators, no `..`, nothing that could write outside the models folder.
 */
export function validateModelKey(key: ModelKey): void {
  for (const field of ['strategy', 'symbol', 'timeframe'] as const) validateModelKeyPart(field, key[field]);
}

/** Validates one part of a {@link ModelKey} (as {@link validateModelKey} does). */
export function validateModelKeyPart(field: keyof ModelKey, value: unknown): void {
  check(field, value, field === 'timeframe' ? TIMEFRAME : NAME);
}

function check(field: string, value: unknown, pattern: RegExp): void {
  if (typeof value !== 'string' || !pattern.test(value) || value.includes('..')) {
    throw new ValidationError(
      `Invalid model ${field} ${JSON.stringify(value)}: use letters, digits${field === 'timeframe' ? ' (several timeframes joined with "-")' : ', ".", "_", "-"'} (at most ${field === 'timeframe' ? 16 : 64} characters${field === 'timeframe' ? ' each' : ''})`,
      { details: { field } },
    );
  }
}

/** Longest symbol part of a model name; a longer list of symbols is abbreviated. */
const MAX_SYMBOL_PART = 64;

/**
 * The `symbol` and `timeframe` parts of the key of a model trained on `symbols` and `timeframes`
 * (base timeframe first): one symbol as is, several joined with `-` (`AAPL-MSFT-GOOGL`, or
 * `AAPL-and-11-more` past 64 characters); timeframes joined with `-` (`1h-4h-1d`). The full lists
 * are in the model's metadata.
 */
export function modelKeyParts(
  symbols: readonly string[],
  timeframes: readonly string[],
): Pick<ModelKey, 'symbol' | 'timeframe'> {
  const joined = symbols.join('-');
  const symbol = joined.length <= MAX_SYMBOL_PART ? joined : `${symbols[0]!}-and-${symbols.length - 1}-more`;
  return { symbol, timeframe: timeframes.join('-') };
}

/** `{symbol}_{tf}` */
export function modelPrefix(key: ModelKey): string {
  return `${key.symbol}_${key.timeframe}`;
}

/** `{symbol}_{tf}_v{N}` */
export function versionDirName(key: ModelKey, version: number): string {
  return `${modelPrefix(key)}_v${version}`;
}

/** `{symbol}_{tf}_latest` */
export function latestPointerName(key: ModelKey): string {
  return `${modelPrefix(key)}_latest`;
}

/** The version number of `name` if it is one of `key`'s version directories. */
export function parseVersion(key: ModelKey, name: string): number | undefined {
  const prefix = `${modelPrefix(key)}_v`;
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  return /^[1-9][0-9]{0,8}$/.test(digits) ? Number(digits) : undefined;
}

/** Resolves `parts` under `root` and proves the result stays inside it (defence in depth). */
export function insideRoot(root: string, ...parts: string[]): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...parts);
  const relative = path.relative(base, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ValidationError(
      `Model path ${JSON.stringify(parts.join('/'))} leaves the models folder ${base}`,
      {
        details: { field: 'path' },
      },
    );
  }
  return target;
}
