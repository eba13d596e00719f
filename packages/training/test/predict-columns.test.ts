import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { CLASS_LABELS } from '../src/model/class-labels';
import { featureCount } from '../src/model/mlp-weights';
import { onnxSessionOptions } from '../src/onnx/onnx-session';
import { predict, predictColumns, type PredictRuntime } from '../src/onnx/predict';
import { predictionInputs, predictionModels } from './support/prediction-models';

/** The row-major inputs of {@link predictionInputs} split into one array per feature. */
function toColumns(x: Float32Array, rows: number, features: number): Float32Array[] {
  return Array.from({ length: features }, (_, f) =>
    Float32Array.from({ length: rows }, (_, r) => x[r * features + f]!),
  );
}

describe('predictColumns', () => {
  for (const runtime of ['onnx', 'fused'] as PredictRuntime[]) {
    it(`returns exactly what predict returns, as columns (${runtime}, every activation and an embedding)`, async () => {
      for (const { weights, symbols } of predictionModels()) {
        const input = predictionInputs(weights, symbols);
        const model = { weights };
        const rows = await predict(model, input, { runtime });
        const columns = toColumns(input.x, input.rows, featureCount(weights));
        // Twice: the second call reuses the model's transpose buffer and must not see stale values.
        for (let call = 0; call < 2; call++) {
          const out = await predictColumns(
            model,
            { columns, ...(input.symbols === undefined ? {} : { symbols: input.symbols }) },
            { runtime },
          );
          expect(out.runtime).toBe(runtime);
          expect(out.rows).toBe(input.rows);
          expect(out.classes).toEqual(rows.classes);
          expect(out.buy).toEqual(
            Float32Array.from({ length: input.rows }, (_, r) => rows.probabilities[r * 3]!),
          );
          expect(out.hold).toEqual(
            Float32Array.from({ length: input.rows }, (_, r) => rows.probabilities[r * 3 + 1]!),
          );
          expect(out.sell).toEqual(
            Float32Array.from({ length: input.rows }, (_, r) => rows.probabilities[r * 3 + 2]!),
          );
          expect(out.confidence).toEqual(Float32Array.from(rows.predictions, (p) => p.confidence));
        }
      }
    });
  }

  it('concurrent calls on one model do not share the transpose buffer', async () => {
    const { weights } = predictionModels()[0]!;
    const features = featureCount(weights);
    const a = predictionInputs(weights);
    const b = Float32Array.from(a.x, (v) => -v);
    const [ra, rb] = await Promise.all([
      predictColumns({ weights }, { columns: toColumns(a.x, a.rows, features) }),
      predictColumns({ weights }, { columns: toColumns(b, a.rows, features) }),
    ]);
    const model = { weights };
    expect(ra.classes).toEqual((await predict(model, a)).classes);
    expect(rb.classes).toEqual((await predict(model, { x: b, rows: a.rows })).classes);
  });

  it('refuses a wrong column count or ragged columns with a ValidationError on "columns"', async () => {
    const { weights } = predictionModels()[0]!;
    const features = featureCount(weights);
    const wrongCount = Array.from({ length: features - 1 }, () => new Float32Array(4));
    const ragged = Array.from({ length: features }, (_, f) => new Float32Array(f === 2 ? 3 : 4));
    for (const columns of [wrongCount, ragged]) {
      const error = await predictColumns({ weights }, { columns }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toMatchObject({ field: 'columns' });
    }
  });
});

describe('predict result', () => {
  it('builds the per-row objects on first read, consistent with classes and probabilities', async () => {
    const { weights } = predictionModels()[1]!;
    const result = await predict({ weights }, predictionInputs(weights), { runtime: 'fused' });
    const first = result.predictions;
    expect(result.predictions).toBe(first);
    expect(first).toHaveLength(result.rows);
    first.forEach((p, i) => {
      expect(p.index).toBe(result.classes[i]);
      expect(p.label).toBe(CLASS_LABELS[p.index]);
      expect(p.probabilities.HOLD).toBe(result.probabilities[i * 3 + 1]);
      expect(p.confidence).toBe(result.probabilities[i * 3 + p.index]);
    });
    expect(JSON.parse(JSON.stringify(result)).predictions).toHaveLength(result.rows);
  });
});

describe('ONNX session options', () => {
  it('match the cores, optimise fully, run sequentially and do not spin unless asked', () => {
    expect(onnxSessionOptions({ intraOpThreads: 3 })).toMatchObject({
      intraOpNumThreads: 3,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    expect(onnxSessionOptions({ allowSpinning: true }).extra).toEqual({
      session: { intra_op: { allow_spinning: '1' } },
    });
    expect(onnxSessionOptions().intraOpNumThreads).toBeGreaterThanOrEqual(1);
  });
});
