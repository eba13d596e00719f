import type { ClassificationMetrics } from '../trainer/classification-metrics';
import type { EpochMetrics } from '../trainer/training-types';

/**
 * One epoch as `metrics.json`, the training host's status and the API report it: the Python KTRDR
 * reference system's snake_case names.
 */
export function epochMetricsJson(epoch: EpochMetrics): Record<string, number | null> {
  return {
    epoch: epoch.epoch,
    train_loss: epoch.loss,
    train_accuracy: epoch.accuracy,
    val_loss: epoch.valLoss ?? null,
    val_accuracy: epoch.valAccuracy ?? null,
    learning_rate: epoch.learningRate,
    duration_ms: epoch.durationMs,
  };
}

/** Validation or test metrics in the same snake_case form; `null` when the split was absent. */
export function classificationJson(
  metrics: ClassificationMetrics | undefined,
): Record<string, unknown> | null {
  if (metrics === undefined) return null;
  return {
    accuracy: metrics.accuracy,
    loss: metrics.loss,
    precision: metrics.precision,
    recall: metrics.recall,
    f1_score: metrics.f1,
    confusion_matrix: metrics.confusionMatrix,
    support: metrics.support,
    samples: metrics.samples,
  };
}

/**
 * Per-symbol test metrics (`test_by_symbol`), keyed by symbol; undefined unless the model was
 * trained on several symbols.
 */
export function bySymbolJson(
  symbols: readonly string[] | undefined,
  byGroup: readonly (ClassificationMetrics | null)[] | undefined,
): Record<string, Record<string, unknown> | null> | undefined {
  if (symbols === undefined || symbols.length < 2 || byGroup === undefined) return undefined;
  return Object.fromEntries(
    symbols.map((symbol, g) => [symbol, classificationJson(byGroup[g] ?? undefined)]),
  );
}
