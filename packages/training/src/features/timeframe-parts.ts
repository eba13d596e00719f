import { ValidationError } from '@ktrdr/core';
import type { StrategyConfig } from '../strategy/types';
import type { TimeframeFeatureSpec } from './feature-spec';
import type { TimeframeSeries } from './timeframe-alignment';

/**
 * The timeframes a model reads, base first, then the others from the highest frequency down (as
 * Python KTRDR sorts them), each with the fuzzy inputs its `nn_inputs` entry lets the model read.
 * The base is the strategy's `training_data.base_timeframe` when it is among `series`, else the
 * highest frequency.
 * @throws ValidationError when two series share a timeframe, or when a fuzzy input names a timeframe
 *   this training does not load or reads no loaded one (its columns would be dropped without a word).
 */
export function timeframeParts(
  strategy: StrategyConfig,
  series: readonly Pick<TimeframeSeries, 'timeframe' | 'barMs'>[],
): TimeframeFeatureSpec[] {
  const loaded = series.map((s) => s.timeframe);
  const duplicate = loaded.find((tf, i) => loaded.indexOf(tf) !== i);
  if (duplicate !== undefined) {
    throw new ValidationError(`Timeframe ${duplicate} is given twice`, { details: { field: 'timeframes' } });
  }
  for (const input of strategy.fuzzy_sets) {
    const missing = input.timeframes?.filter((tf) => !loaded.includes(tf)) ?? [];
    if (input.timeframes?.length === 0) {
      throw new ValidationError(`nn_inputs reads ${input.input} at no timeframe; name at least one, or all`, {
        details: { field: 'nn_inputs', input: input.input },
      });
    }
    if (missing.length > 0) {
      throw new ValidationError(
        `nn_inputs reads ${input.input} at ${missing.join(', ')}, which this training does not load (timeframes: ${loaded.join(', ')}); add the timeframe or remove it from nn_inputs`,
        { details: { field: 'nn_inputs', input: input.input, missing } },
      );
    }
  }
  const requested = strategy.training_data?.base_timeframe;
  const byFrequency = [...series].sort((a, b) => a.barMs - b.barMs);
  const base = byFrequency.find((s) => s.timeframe === requested) ?? byFrequency[0];
  if (base === undefined) {
    throw new ValidationError('Give at least one timeframe to train on', {
      details: { field: 'timeframes' },
    });
  }
  const ordered = [base, ...byFrequency.filter((s) => s !== base)];
  return ordered.map((s) => ({
    timeframe: s.timeframe,
    barMs: s.barMs,
    fuzzySets: strategy.fuzzy_sets.filter(
      (input) => input.timeframes === undefined || input.timeframes.includes(s.timeframe),
    ),
  }));
}
