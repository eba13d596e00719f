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
