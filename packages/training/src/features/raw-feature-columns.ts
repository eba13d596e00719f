import { evaluateMembership } from '../fuzzy/membership';
import { computeIndicator } from '../indicators/registry';
import type { IndicatorOutputs } from '../indicators/types';
import type { FuzzyInputConfig, IndicatorConfig } from '../strategy/types';
import type { OhlcvColumns } from '../indicators/ohlcv';

/**
 * Unscaled feature columns, one Float64Array per column in {@link featureColumnNames} order: fuzzy
 * memberships of each indicator output, then their lagged copies. NaN marks warm-up (and any bar an
 * indicator could not compute).
 * @internal
 */
export function rawFeatureColumns(
  bars: OhlcvColumns,
  indicators: readonly IndicatorConfig[],
  fuzzySets: readonly FuzzyInputConfig[],
  lookbackPeriods: number,
): Float64Array[] {
  // Each indicator once, however many fuzzy inputs read it.
  const outputs = new Map<string, IndicatorOutputs>();
  for (const indicator of indicators) {
    const used = fuzzySets.some((input) => input.indicatorKey === indicator.key);
    if (used) outputs.set(indicator.key, computeIndicator(indicator.indicator, bars, indicator.params));
  }
  const base: Float64Array[] = [];
  for (const input of fuzzySets) {
    const series = outputs.get(input.indicatorKey)?.[input.output];
    if (series === undefined) {
      throw new TypeError(
        `fuzzy input ${input.input} reads ${input.indicatorKey}.${input.output}, which was not computed`,
      );
    }
    for (const set of input.sets) base.push(evaluateMembership(set, series));
  }
  const columns = [...base];
  for (let lag = 1; lag <= lookbackPeriods; lag++)
    columns.push(...base.map((column) => shifted(column, lag)));
  return columns;
}

/** `column` delayed by `lag` bars: row i holds the value of row i - lag (NaN for the first `lag`). */
function shifted(column: Float64Array, lag: number): Float64Array {
  const out = new Float64Array(column.length).fill(NaN);
  out.set(column.subarray(0, Math.max(0, column.length - lag)), lag);
  return out;
}
