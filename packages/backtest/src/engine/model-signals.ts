import { ValidationError } from '@ktrdr/core';
import {
  type FeatureInput,
  type FeatureSpec,
  type LoadedModel,
  type PredictRuntime,
  applyFeatureSpec,
  formatModelName,
  predict,
} from '@ktrdr/training';
import type { BarSignals } from './simulate';

/** The feature spec a model was trained with (`features.json`). */
export function featureSpecOf(model: LoadedModel): FeatureSpec {
  const spec = model.features['spec'] as FeatureSpec | undefined;
  if (spec === undefined) {
    throw new ValidationError(
      `Model ${formatModelName(model.key, model.version)} has no feature spec in features.json: retrain it`,
      { details: { field: 'model' } },
    );
  }
  return spec;
}

/**
 * The model's class and confidence at every base bar, computed in one batch: features for the
 * whole series at once with the training's own spec and scaler (`applyFeatureSpec`: every indicator
 * at bar t reads bars up to t only, higher timeframes only once closed), then one `predict` call.
 * Bars without a complete feature row (warm-up) get class -1.
 */
export async function modelSignals(
  model: LoadedModel,
  input: FeatureInput,
  bars: number,
  options: { symbol: string; runtime?: PredictRuntime },
): Promise<BarSignals & { runtime: PredictRuntime }> {
  const matrix = applyFeatureSpec(featureSpecOf(model), input);
  const classes = new Int8Array(bars).fill(-1);
  const confidence = new Float32Array(bars);
  if (matrix.rows === 0) return { classes, confidence, runtime: options.runtime ?? 'onnx' };
  const symbolIndex = embeddingRow(model, options.symbol);
  const result = await predict(
    model,
    {
      x: matrix.matrix,
      rows: matrix.rows,
      features: matrix.columns.length,
      ...(symbolIndex === undefined ? {} : { symbols: new Int32Array(matrix.rows).fill(symbolIndex) }),
    },
    { runtime: options.runtime ?? 'onnx' },
  );
  for (let r = 0; r < matrix.rows; r++) {
    const bar = matrix.barIndex[r]!;
    const cls = result.classes[r]!;
    classes[bar] = cls;
    confidence[bar] = result.probabilities[r * 3 + cls]!;
  }
  return { classes, confidence, runtime: result.runtime };
}

/** The embedding row of `symbol` for a model with a symbol embedding (undefined without one). */
function embeddingRow(model: LoadedModel, symbol: string): number | undefined {
  const embedding = model.weights.embedding;
  if (embedding === undefined) return undefined;
  const symbols = embedding.symbols ?? model.metadata.symbols ?? [];
  const row = symbols.indexOf(symbol);
  if (row < 0) {
    throw new ValidationError(
      `Model ${formatModelName(model.key, model.version)} embeds its symbols (${symbols.join(', ')}) and cannot backtest ${symbol}`,
      { details: { field: 'symbol', accepted: symbols } },
    );
  }
  return row;
}
