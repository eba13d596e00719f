import { ValidationError } from '@ktrdr/core';
import { chronologicalSplit, type DataSplit, type RowRange } from '../labels/data-split';
import { countLabels, type LabelCounts } from '../labels/signals';
import { zigzagLabels } from '../labels/zigzag-labels';
import type { StrategyConfig } from '../strategy/types';
import { type FeatureInput, fitStrategyScaler, unscaledFeatures } from './build-features';
import { packRows } from './pack-rows';
import type { FeatureSpec } from './feature-spec';

/** Everything a trainer needs: inputs, labels, the chronological split, and the spec to save. */
export interface TrainingData {
  /** Row-major `rows x columns.length` inputs. */
  readonly x: Float32Array;
  /** Class per row: 0 BUY, 1 HOLD, 2 SELL. */
  readonly y: Int32Array;
  readonly rows: number;
  readonly columns: readonly string[];
  /** Bar time of each row (its base timeframe bar). */
  readonly times: Float64Array;
  /** Index of each row in its symbol's base-timeframe bars. */
  readonly barIndex: Int32Array;
  /** Symbols in input order; `symbolIndex` indexes it. One entry (`''` if unnamed) for single-symbol data. */
  readonly symbols: readonly string[];
  /** Symbol of each row, as an index into `symbols`. */
  readonly symbolIndex: Int32Array;
  /**
   * Train, validation and test rows. Each symbol is split chronologically on its own, and the parts
   * are stacked (every symbol's train rows, then every symbol's validation rows, then test), so no
   * symbol validates or tests on a period it trained on.
   */
  readonly split: DataSplit;
  /** Save with the model; {@link applyFeatureSpec} turns new bars into inputs with it. */
  readonly spec: FeatureSpec;
  /** Label counts per split part (class balance, majority baseline). */
  readonly labelCounts: {
    readonly train: LabelCounts;
    readonly validation: LabelCounts;
    readonly test: LabelCounts;
  };
}

/** One part of the data: a view (no copy) of its rows. */
export interface TrainingSlice {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly rows: number;
  /** Symbol index of each row. */
  readonly groups: Int32Array;
}

/** One symbol's bars for {@link prepareMultiSymbolData}. */
export interface SymbolInput {
  readonly symbol: string;
  /** One series, or one per timeframe of a multi-timeframe strategy. */
  readonly input: FeatureInput;
}

const PARTS = ['train', 'validation', 'test'] as const;

/**
 * From bars and a strategy to model inputs and labels: {@link buildFeatures} (scaler fitted on the
 * train split only) plus ZigZag segment labels computed on the full close series of the base
 * timeframe, kept for the bars that have a feature row.
 */
export function prepareTrainingData(input: FeatureInput, strategy: StrategyConfig): TrainingData {
  return prepareMultiSymbolData([{ symbol: '', input }], strategy);
}

/**
 * One dataset drawn from every symbol: features and labels per symbol (indicators never run across
 * two symbols' bars), each symbol split chronologically, the parts stacked, then one scaler fitted
 * on the combined train rows of every symbol and applied to all rows (so one stored scaler serves
 * every symbol at inference).
 * @throws ValidationError (with `details.symbol`) when a symbol's bars give no feature row, or
 *   when symbols are repeated or give different columns.
 */
export function prepareMultiSymbolData(
  inputs: readonly SymbolInput[],
  strategy: StrategyConfig,
): TrainingData {
  if (inputs.length === 0) {
    throw new ValidationError('Give at least one symbol to train on', { details: { field: 'symbols' } });
  }
  const symbols = inputs.map((i) => i.symbol);
  const repeated = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (repeated !== undefined) {
    throw new ValidationError(`Symbol ${repeated} is given twice`, { details: { field: 'symbols' } });
  }
  const { zigzag_threshold: threshold, label_lookahead: lookahead } = strategy.training.labels;
  const perSymbol = inputs.map(({ symbol, input }) => {
    const features = forSymbol(symbol, () => unscaledFeatures(input, strategy));
    const labels = zigzagLabels(features.baseBars.close, threshold, lookahead);
    return {
      features,
      y: Int32Array.from(features.barIndex, (bar) => labels[bar]!),
      split: chronologicalSplit(features.rows, strategy.training.data_split),
    };
  });
  const first = perSymbol[0]!.features.spec;
  const width = first.columns.length;
  perSymbol.forEach(({ features }, s) => {
    if (features.spec.columns.join() !== first.columns.join()) {
      throw new ValidationError(`${symbols[s]} gives other feature columns than ${symbols[0]}`, {
        details: { field: 'symbols', symbol: symbols[s] },
      });
    }
  });
  const rows = perSymbol.reduce((sum, p) => sum + p.features.rows, 0);
  const partRows = (part: (typeof PARTS)[number], p: (typeof perSymbol)[number]) => ({
    columns: p.features.columns,
    bars: p.features.barIndex.subarray(p.split[part].start, p.split[part].end),
  });
  const scaler = fitStrategyScaler(
    perSymbol.map((p) => partRows('train', p)),
    strategy,
  );
  const x = new Float32Array(rows * width);
  const y = new Int32Array(rows);
  const times = new Float64Array(rows);
  const barIndex = new Int32Array(rows);
  const symbolIndex = new Int32Array(rows);
  const ranges: Record<(typeof PARTS)[number], RowRange> = {} as never;
  let at = 0;
  for (const part of PARTS) {
    const start = at;
    perSymbol.forEach((p, s) => {
      const { start: from, end: to } = p.split[part];
      const source = partRows(part, p);
      packRows(source, scaler, x, at);
      y.set(p.y.subarray(from, to), at);
      barIndex.set(source.bars, at);
      source.bars.forEach((bar, r) => (times[at + r] = p.features.baseBars.time[bar]!));
      symbolIndex.fill(s, at, at + to - from);
      at += to - from;
    });
    ranges[part] = { start, end: at };
  }
  const split: DataSplit = ranges;
  const warmupBars = Math.max(...perSymbol.map((p) => p.features.spec.warmupBars));
  return {
    x,
    y,
    rows,
    columns: first.columns,
    times,
    barIndex,
    symbols,
    symbolIndex,
    split,
    spec: { ...first, warmupBars, scaler },
    labelCounts: {
      train: countLabels(y.subarray(split.train.start, split.train.end)),
      validation: countLabels(y.subarray(split.validation.start, split.validation.end)),
      test: countLabels(y.subarray(split.test.start, split.test.end)),
    },
  };
}

/** Runs `build` for one symbol of several, naming the symbol in its validation errors. */
function forSymbol<T>(symbol: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (symbol === '' || !(error instanceof ValidationError)) throw error;
    throw new ValidationError(`${symbol}: ${error.message}`, {
      details: { ...error.details, symbol },
      cause: error,
    });
  }
}

/** The rows `range` of `data` (e.g. `data.split.train`), as views into its arrays. */
export function sliceRows(
  data: Pick<TrainingData, 'x' | 'y' | 'columns'> & { readonly symbolIndex?: Int32Array },
  range: RowRange,
): TrainingSlice {
  const width = data.columns.length;
  const rows = range.end - range.start;
  return {
    x: data.x.subarray(range.start * width, range.end * width),
    y: data.y.subarray(range.start, range.end),
    rows,
    groups: data.symbolIndex?.subarray(range.start, range.end) ?? new Int32Array(rows),
  };
}
