import { fuzzyColumnName } from '../strategy/fuzzy-column-name';
import type { FuzzyInputConfig, IndicatorConfig, StrategyConfig } from '../strategy/types';
import type { FittedScaler } from './scaler';

/** Identifies the layout of {@link FeatureSpec} documents, for readers of stored models. */
export const FEATURE_SPEC_FORMAT = 'ktrdr.features/1';

/**
 * Everything needed to turn new bars into the exact feature rows a model was trained on: the
 * indicators, fuzzy sets, lags, column order and the fitted scaler. Plain JSON (store it as the
 * model's `features.json`).
 */
export interface FeatureSpec {
  readonly format: typeof FEATURE_SPEC_FORMAT;
  readonly indicators: readonly IndicatorConfig[];
  readonly fuzzySets: readonly FuzzyInputConfig[];
  /** Lagged copies per fuzzy column (`_lag1` ... `_lagN`). */
  readonly lookbackPeriods: number;
  /** Column names in matrix order. */
  readonly columns: readonly string[];
  /** Scaler fitted on the training split, or null when the strategy does not scale features. */
  readonly scaler: FittedScaler | null;
  /**
   * Bars of warm-up the training data needed before its first complete row; a prediction needs at
   * least `warmupBars + 1` bars to produce one row.
   */
  readonly warmupBars: number;
  /**
   * Multi-timeframe models: each timeframe's part, base timeframe first. Its columns are the part's
   * fuzzy columns (and lags) prefixed `{timeframe}_`, parts in this order. Absent: one timeframe,
   * unprefixed columns from `fuzzySets` (every single-timeframe model).
   */
  readonly timeframes?: readonly TimeframeFeatureSpec[];
}

/** One timeframe's part of a multi-timeframe {@link FeatureSpec}. */
export interface TimeframeFeatureSpec {
  readonly timeframe: string;
  /** Bar length in ms: when a bar of this timeframe closes, and so when the base rows may see it. */
  readonly barMs: number;
  /** The fuzzy inputs the model reads at this timeframe (v3 `nn_inputs`), in strategy order. */
  readonly fuzzySets: readonly FuzzyInputConfig[];
}

/** Name of the `lag`-th lagged copy of `column` (`rsi_oversold_lag2`). */
export function laggedColumnName(column: string, lag: number): string {
  return `${column}_lag${lag}`;
}

/**
 * Column names a strategy produces, in order: each fuzzy input's sets in file order, then for each
 * lag 1..lookback the same list with `_lag{k}` (Python KTRDR's lag-major order).
 */
export function featureColumnNames(
  fuzzySets: readonly FuzzyInputConfig[],
  lookbackPeriods: number,
): string[] {
  const base = fuzzySets.flatMap((input) => input.sets.map((set) => fuzzyColumnName(input.input, set.name)));
  const names = [...base];
  for (let lag = 1; lag <= lookbackPeriods; lag++)
    names.push(...base.map((name) => laggedColumnName(name, lag)));
  return names;
}

/**
 * Column names of a multi-timeframe spec: each part's {@link featureColumnNames} prefixed
 * `{timeframe}_` (`4h_rsi_oversold`, `4h_rsi_oversold_lag1`), parts in order.
 */
export function timeframeColumnNames(
  parts: readonly TimeframeFeatureSpec[],
  lookbackPeriods: number,
): string[] {
  return parts.flatMap((part) =>
    featureColumnNames(part.fuzzySets, lookbackPeriods).map((name) => `${part.timeframe}_${name}`),
  );
}

/**
 * The parts of a {@link FeatureSpec} that come from the strategy alone (before any data is seen);
 * `timeframes` (base first) for a multi-timeframe model, none for a single-timeframe one.
 */
export function unfittedSpec(
  strategy: StrategyConfig,
  timeframes?: readonly TimeframeFeatureSpec[],
): Omit<FeatureSpec, 'scaler' | 'warmupBars'> {
  const lookbackPeriods = strategy.model.features.lookback_periods;
  const multi = timeframes !== undefined && timeframes.length > 1;
  return {
    format: FEATURE_SPEC_FORMAT,
    indicators: strategy.indicators,
    fuzzySets: multi ? strategy.fuzzy_sets : (timeframes?.[0]?.fuzzySets ?? strategy.fuzzy_sets),
    lookbackPeriods,
    columns: multi
      ? timeframeColumnNames(timeframes, lookbackPeriods)
      : featureColumnNames(timeframes?.[0]?.fuzzySets ?? strategy.fuzzy_sets, lookbackPeriods),
    ...(multi ? { timeframes } : {}),
  };
}
