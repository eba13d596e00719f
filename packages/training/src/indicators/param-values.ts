import type { PriceSource } from './ohlcv';
import type { IndicatorParams } from './types';

/**
 * Typed reads of validated parameters. The registry guarantees presence and kind, so a miss here is
 * a programming error, not user input.
 * @internal
 */
export function numberParam(params: IndicatorParams, name: string): number {
  const value = params[name];
  if (typeof value !== 'number') throw new TypeError(`indicator parameter ${name} is not a number`);
  return value;
}

/** @internal */
export function booleanParam(params: IndicatorParams, name: string): boolean {
  const value = params[name];
  if (typeof value !== 'boolean') throw new TypeError(`indicator parameter ${name} is not a boolean`);
  return value;
}

/** @internal */
export function sourceParam(params: IndicatorParams, name = 'source'): PriceSource {
  const value = params[name];
  if (typeof value !== 'string') throw new TypeError(`indicator parameter ${name} is not a source`);
  return value as PriceSource;
}
