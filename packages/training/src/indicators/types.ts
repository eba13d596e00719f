import type { OhlcvColumns } from './ohlcv';

/**
 * The kind of value a parameter takes; `source` is one of the {@link PriceSource} names, `choice` one
 * of the spec's `choices` (DistanceFromMA's `ma_type: SMA | EMA`).
 */
export type ParamKind = 'integer' | 'number' | 'boolean' | 'source' | 'choice';

/** A parameter value after validation and defaulting. */
export type ParamValue = number | boolean | string;

/** Validated parameters of one indicator instance, keyed by the canonical parameter name. */
export type IndicatorParams = Readonly<Record<string, ParamValue>>;

/** Named output columns of an indicator, each as long as the input bars (NaN during warm-up). */
export type IndicatorOutputs = Readonly<Record<string, Float64Array>>;

/** One parameter an indicator accepts. */
export interface ParamSpec {
  /** Canonical snake_case name, as written in strategy YAML (`period`, `fast_period`, `std_dev`). */
  readonly name: string;
  /** Other spellings accepted in YAML (Python KTRDR used `multiplier` for Bollinger's `std_dev`). */
  readonly aliases?: readonly string[];
  readonly kind: ParamKind;
  readonly default: ParamValue;
  /** Inclusive lower bound for numbers. */
  readonly min?: number;
  /** Inclusive upper bound for numbers. */
  readonly max?: number;
  /** The accepted values of a `choice` parameter, spelled exactly as in strategy YAML. */
  readonly choices?: readonly string[];
  readonly description: string;
}

/** What the registry knows about an indicator: its names, parameters, outputs and implementation. */
export interface IndicatorDefinition {
  /** Canonical name, as the Python KTRDR registry spelled it (`RSI`, `BollingerBands`, `WilliamsR`). */
  readonly name: string;
  /** Other accepted names; lookup ignores case, `_` and `-`, so `williams_r` finds `WilliamsR`. */
  readonly aliases: readonly string[];
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Output column names, in a stable order. Single-output indicators call theirs `value`. */
  readonly outputs: readonly string[];
  /**
   * The output fuzzy sets read when a strategy names the indicator without picking an output. Follows
   * the Python KTRDR v2 mapping: SMA/EMA give `ratio` (source / average, 1.0 = at the average), MACD
   * its main line, Bollinger Bands the band width, Stochastic %K, ADX the ADX line. The indicators
   * added for parity later (Ichimoku, Keltner, CMF...) give Python's primary output, the first of its
   * output names.
   */
  readonly fuzzyInput: string;
  /**
   * True when the value at a bar depends on later bars (ZigZag repaints its last extreme). Such an
   * indicator may label data but must never become a model input.
   */
  readonly looksAhead?: boolean;
  /** Cross-parameter constraints (e.g. MACD fast < slow); returns a problem message or undefined. */
  readonly checkParams?: (params: IndicatorParams) => string | undefined;
  readonly compute: (bars: OhlcvColumns, params: IndicatorParams) => IndicatorOutputs;
}
