import { ValidationError } from '@ktrdr/core';
import type { ModelKey } from '../storage/model-names';

/** A model reference: which model, and which version (`latest` when none is named). */
export interface ModelRef {
  key: ModelKey;
  version: number | 'latest';
}

/**
 * Parses a model name as users write it: `{strategy}/{symbol}_{tf}_v{N}` for one version, or
 * `{strategy}/{symbol}_{tf}` (also `..._latest`) for the latest.
 */
export function parseModelName(name: string): ModelRef {
  const match = /^([^/]+)\/([^_/]+)_([A-Za-z0-9-]+)(?:_v(\d+)|_latest)?$/.exec(name.trim());
  if (match === null) {
    throw new ValidationError(
      `Invalid model name '${name}': use {strategy}/{symbol}_{timeframe} or {strategy}/{symbol}_{timeframe}_v{N}, as 'models list' shows`,
      { details: { field: 'model' } },
    );
  }
  const [, strategy, symbol, timeframe, version] = match as unknown as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  return {
    key: { strategy, symbol, timeframe },
    version: version === undefined ? 'latest' : Number(version),
  };
}

/** The name of one stored version. */
export function formatModelName(key: ModelKey, version: number): string {
  return `${key.strategy}/${key.symbol}_${key.timeframe}_v${version}`;
}
