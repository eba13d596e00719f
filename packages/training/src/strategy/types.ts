import type { FuzzySetDefinition } from '../fuzzy/types';
import type { IndicatorParams } from '../indicators/types';

/** One indicator instance of a strategy, validated and with defaults filled in. */
export interface IndicatorConfig {
  /**
   * The name fuzzy sets and feature columns use: `feature_id` when given, else `name` exactly as
   * written (Python KTRDR v2 keyed fuzzy sets by the indicator's `name`, e.g. `rsi`).
   */
  readonly key: string;
  /** Canonical registry name (`RSI`, `BollingerBands`...). */
  readonly indicator: string;
  /** Every parameter of the indicator, canonical names, defaults applied. */
  readonly params: IndicatorParams;
}

/**
 * The fuzzy sets over one indicator output. `input` is the `fuzzy_sets` key: an indicator key
 * (`rsi`, reading the indicator's default fuzzy input) or `key.output` (`macd.histogram`).
 */
export interface FuzzyInputConfig {
  readonly input: string;
  /** Indicator key the input belongs to. */
  readonly indicatorKey: string;
  /** Output column of that indicator the sets read. */
  readonly output: string;
  /** Sets in file order. */
  readonly sets: ReadonlyArray<{ readonly name: string } & FuzzySetDefinition>;
  /**
   * Timeframes whose copy of these fuzzy columns the model reads (v3 `nn_inputs`); absent means
   * every timeframe of {@link StrategyConfig.training_data}.
   */
  readonly timeframes?: readonly string[];
}

/** Hidden-layer activations the MLP supports. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'leaky_relu' | 'linear';

/** Optimizers the trainer supports. */
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Learning-rate schedule. */
export type LearningRateSchedule =
  | {
      readonly type: 'reduce_on_plateau';
      readonly factor: number;
      readonly patience: number;
      readonly min_lr: number;
    }
  | { readonly type: 'step'; readonly step_size: number; readonly gamma: number }
  | { readonly type: 'exponential'; readonly gamma: number };

/** `model` section. */
export interface ModelConfig {
  readonly type: 'mlp';
  readonly architecture: {
    readonly hidden_layers: readonly number[];
    readonly activation: Activation;
    readonly output_activation: 'softmax';
    /** Dropout rate after each hidden layer, in [0, 1). */
    readonly dropout: number;
  };
  readonly features: {
    /** How many lagged copies of each fuzzy column to add (`_lag1` ... `_lagN`); 0 = none. */
    readonly lookback_periods: number;
    readonly scale_features: boolean;
    /** `standard` = z-score; `minmax` = to [0, 1]; both fitted on the train split only. */
    readonly scaling_method: 'standard' | 'minmax';
  };
  readonly training: {
    readonly learning_rate: number;
    readonly batch_size: number;
    readonly epochs: number;
    readonly optimizer: OptimizerName;
    /** L2 weight decay; 0 = none. */
    readonly weight_decay: number;
    readonly early_stopping: {
      readonly enabled: boolean;
      readonly patience: number;
      readonly monitor: 'val_loss' | 'val_accuracy';
      readonly min_delta: number;
    };
    /** Absent: constant learning rate. */
    readonly lr_scheduler?: LearningRateSchedule;
  };
  /**
   * Width of a learned per-symbol embedding appended to the features (multi-symbol "universal"
   * models); absent or 0 means none.
   */
  readonly symbol_embedding_dim?: number;
}

/** `training` section. */
export interface TrainingSectionConfig {
  readonly labels: {
    readonly source: 'zigzag';
    /** Minimum swing as a fraction (0.05 = 5%). */
    readonly zigzag_threshold: number;
    /** Bars further than this from the end of their swing are labelled HOLD. */
    readonly label_lookahead: number;
  };
  /** Fractions of the rows, chronological; they sum to 1. */
  readonly data_split: { readonly train: number; readonly validation: number; readonly test: number };
}

/**
 * The `decisions` settings a backtest trades by (training ignores them). Present only where the
 * file sets them; see `readDecisions`.
 */
export interface DecisionsConfig {
  /** A signal whose class probability is below this is HOLD (0 to 1). */
  readonly confidence_threshold?: number;
  /** Hours that must pass after an order before the next one (`filters.min_signal_separation`). */
  readonly min_signal_separation_hours?: number;
}

/** The symbols and timeframes a strategy trains on. */
export interface StrategyTrainingData {
  readonly symbols: readonly string[];
  readonly timeframes: readonly string[];
  /** The highest-frequency timeframe unless the file names one. */
  readonly base_timeframe: string;
}

/** A strategy file, validated, with every default applied. */
export interface StrategyConfig {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  /** Optional `data` section (symbols and timeframes the strategy is meant for). */
  readonly data?: { readonly symbols: readonly string[]; readonly timeframes: readonly string[] };
  /**
   * What training uses when the caller names no symbol or timeframe: every symbol and timeframe the
   * strategy declares (`training_data`, else `data`). Features are built per timeframe and aligned
   * to `base_timeframe`, whose rows and labels the model trains on.
   */
  readonly training_data?: StrategyTrainingData;
  /**
   * Keys Python KTRDR only warns about, each as a sentence naming the key: the CLI shows them and
   * the model's metadata keeps them, so nothing is dropped without a word.
   */
  readonly warnings?: readonly string[];
  readonly indicators: readonly IndicatorConfig[];
  readonly fuzzy_sets: readonly FuzzyInputConfig[];
  readonly model: ModelConfig;
  readonly training: TrainingSectionConfig;
  /** `decisions` settings the file sets (stored with the model, read by backtests). */
  readonly decisions?: DecisionsConfig;
}
