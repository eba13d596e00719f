import { OUTPUT_UNITS } from '../model/mlp-config';

/** Quality of predictions against true classes (weighted averages weight each class by its support). */
export interface ClassificationMetrics {
  accuracy: number;
  /** Mean cross-entropy. */
  loss: number;
  /** Weighted precision/recall/F1 (scikit-learn's `average="weighted"`; 0 where undefined). */
  precision: number;
  recall: number;
  f1: number;
  /** `confusionMatrix[true][predicted]` counts, classes BUY, HOLD, SELL. */
  confusionMatrix: number[][];
  /** Rows of each true class. */
  support: number[];
  /** Rows evaluated. */
  samples: number;
}

/** Computes {@link ClassificationMetrics} from true classes, predicted classes and the mean loss. */
export function classificationMetrics(
  yTrue: Int32Array,
  yPred: Int32Array,
  loss: number,
): ClassificationMetrics {
  const k = OUTPUT_UNITS;
  const confusionMatrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    confusionMatrix[t]![p]!++;
    if (t === p) correct++;
  }
  const support = confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0));
  const total = yTrue.length;
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusionMatrix[c]![c]!;
    const predicted = confusionMatrix.reduce((sum, row) => sum + row[c]!, 0);
    const p = predicted > 0 ? tp / predicted : 0;
    const r = support[c]! > 0 ? tp / support[c]! : 0;
    const weight = total > 0 ? support[c]! / total : 0;
    precision += weight * p;
    recall += weight * r;
    f1 += weight * (p + r > 0 ? (2 * p * r) / (p + r) : 0);
  }
  return {
    accuracy: total > 0 ? correct / total : NaN,
    loss,
    precision,
    recall,
    f1,
    confusionMatrix,
    support,
    samples: total,
  };
}
