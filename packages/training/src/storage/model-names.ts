import path from 'node:path';
import { ValidationError } from '@ktrdr/core';
import { STRATEGY_NAME_PATTERN } from '../strategy/strategy-name';

/** Strategy and symbol names: the strategy-name rule (letters, digits, `.`, `_`, `-`). */
const NAME = STRATEGY_NAME_PATTERN;
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

function isValidPart(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && pattern.test(value) && !value.includes('..');
}

function check(field: string, value: unknown, pattern: RegExp): void {
  if (!isValidPart(value, pattern)) {
    throw new ValidationError(
      `Invalid model ${field} ${JSON.stringify(value)}: use letters, digits${field === 'timeframe' ? ' (several timeframes joined with "-")' : ', ".", "_", "-"'} (at most ${field === 'timeframe' ? 16 : 64} characters${field === 'timeframe' ? ' each' : ''})`,
      { details: { field } },
    );
  }
}

/** A model reference: which model, and which version (`latest` when none is named). */
export interface ModelRef {
  key: ModelKey;
  version: number | 'latest';
}

/**
 * Parses a model name as users write it: `{strategy}/{symbol}_{tf}_v{N}` for one version, or
 * `{strategy}/{symbol}_{tf}` (also `..._latest`) for the latest. Each part follows the same rule as
 * {@link validateModelKey}, so a name that parses names a key the store accepts.
 * @throws ValidationError (`details.field` `model`) for anything else.
 */
export function parseModelName(name: string): ModelRef {
  const match = /^([^/]+)\/([^_/]+)_([A-Za-z0-9-]+)(?:_v(\d+)|_latest)?$/.exec(name.trim());
  const [, strategy, symbol, timeframe, version] = match ?? [];
  if (!isValidPart(strategy, NAME) || !isValidPart(symbol, NAME) || !isValidPart(timeframe, TIMEFRAME)) {
    throw new ValidationError(
      `Invalid model name '${name}': use {strategy}/{symbol}_{timeframe} or {strategy}/{symbol}_{timeframe}_v{N}, as 'models list' shows`,
      { details: { field: 'model' } },
    );
  }
  return {
    key: { strategy, symbol, timeframe },
    version: version === undefined ? 'latest' : Number(version),
  };
}

/** The name of one stored version: `{strategy}/{symbol}_{tf}_v{N}`. */
export function formatModelName(key: ModelKey, version: number): string {
  return `${key.strategy}/${versionDirName(key, version)}`;
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
