import type { ParamSpec } from './types';

/**
 * Builders for the parameter specs most indicators share.
 * @internal
 */
export function periodSpec(
  defaultValue: number,
  name = 'period',
  description = 'lookback in bars',
): ParamSpec {
  return { name, kind: 'integer', default: defaultValue, min: 1, max: 10_000, description };
}

/** @internal */
export const SOURCE_SPEC: ParamSpec = {
  name: 'source',
  kind: 'source',
  default: 'close',
  description: 'price series the indicator reads',
};

/** @internal A positive real parameter such as a band multiplier or an acceleration factor. */
export function numberSpec(name: string, defaultValue: number, description: string, max = 100): ParamSpec {
  return { name, kind: 'number', default: defaultValue, min: 0, max, description };
}

/** @internal A true/false parameter. */
export function flagSpec(name: string, defaultValue: boolean, description: string): ParamSpec {
  return { name, kind: 'boolean', default: defaultValue, description };
}
