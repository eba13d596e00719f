import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { predict } from '../src/onnx/predict';
import type { PredictWithoutOrtResult } from './fixtures/predict-without-ort';
import { predictionInputs, predictionModels } from './support/prediction-models';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HIDE_ORT = fileURLToPath(new URL('./fixtures/hide-onnxruntime.mjs', import.meta.url));
const PREDICT = fileURLToPath(new URL('./fixtures/predict-without-ort.ts', import.meta.url));
/** float32 rounding of two different summation orders. */
const TOLERANCE = 1e-5;

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** ONNX Runtime's probabilities for every model of {@link predictionModels}, in this process. */
async function onnxProbabilities(): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const { weights, symbols } of predictionModels()) {
    const result = await predict({ weights }, predictionInputs(weights, symbols), { runtime: 'onnx' });
    expect(result.runtime).toBe('onnx');
    out.push(result.probabilities);
  }
  return out;
}

function runWithoutOrt(): Promise<PredictWithoutOrtResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', HIDE_ORT, PREDICT], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) reject(new Error(`predict process exited ${code}: ${stderr}`));
      else resolve(JSON.parse(line) as PredictWithoutOrtResult);
    }),
  );
}

describe('predict without onnxruntime-node', () => {
  it('runtime "fused" equals ONNX Runtime within float tolerance, for every activation and an embedding', async () => {
    const onnx = await onnxProbabilities();
    const models = predictionModels();
    for (const [i, { weights, symbols }] of models.entries()) {
      const fused = await predict({ weights }, predictionInputs(weights, symbols), { runtime: 'fused' });
      expect(fused.runtime).toBe('fused');
      expect(maxDifference(fused.probabilities, onnx[i]!)).toBeLessThan(TOLERANCE);
    }
  });

  it('falls back to the built-in engine with one notice when the package cannot be found', async () => {
    const [onnx, without] = await Promise.all([onnxProbabilities(), runWithoutOrt()]);
    expect(without.results.map((r) => r.runtime)).toEqual(onnx.map(() => 'fused'));
    without.results.forEach((r, i) =>
      expect(maxDifference(r.probabilities, onnx[i]!)).toBeLessThan(TOLERANCE),
    );
    expect(without.notices).toEqual([
      {
        code: 'KTRDR_ONNXRUNTIME_ABSENT',
        message: expect.stringMatching(/onnxruntime-node is not installed/),
      },
    ]);
  });
});
