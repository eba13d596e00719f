import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectTfBackend } from '../src/backend/tf-backend';
import type { Activation } from '../src/model/mlp-config';
import { initMlpWeights } from '../src/trainer/init-mlp-weights';
import { predict } from '../src/onnx/predict';
import { buildTfjsModel } from '../src/model/tfjs-mlp';
import { exportMlpToOnnx, ONNX_INPUT, ONNX_OUTPUT } from '../src/onnx/onnx-export';
import { OnnxMlpSession } from '../src/onnx/onnx-session';
import { ProtoWriter } from '../src/onnx/protobuf-writer';
import { ModelStore } from '../src/storage/model-store';
import { fileSystemHandler } from '../src/storage/tfjs-file-handler';
import { trainMlp } from '../src/trainer/train-mlp';
import { syntheticSplit } from './support/synthetic-dataset';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ktrdr-onnx-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function inputs(rows: number, features: number): Float32Array {
  const x = new Float32Array(rows * features);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 1.7) * 3;
  return x;
}

describe('ProtoWriter', () => {
  it('encodes varints, fixed32 floats, strings and nested messages in protobuf wire format', () => {
    const bytes = new ProtoWriter()
      .varint(1, 300)
      .varint(2, -1)
      .float(3, 1.5)
      .string(4, 'hi')
      .message(5, (m) => m.varint(1, 1))
      .finish();
    expect([...bytes]).toEqual([
      0x08, 0xac, 0x02, // field 1 varint 300
      0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, // field 2 varint -1 (10 bytes)
      0x1d, 0x00, 0x00, 0xc0, 0x3f, // field 3 fixed32 1.5
      0x22, 0x02, 0x68, 0x69, // field 4 "hi"
      0x2a, 0x02, 0x08, 0x01, // field 5 { field 1: 1 }
    ]); // prettier-ignore
  });
});

describe('ONNX export', () => {
  it.each(['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as Activation[])(
    'ONNX Runtime and TF.js agree within 1e-5 (%s)',
    async (activation) => {
      const weights = initMlpWeights(7, { hiddenLayers: [12, 5], activation, dropout: 0.2, seed: 11 });
      // Non-zero biases, so a mis-wired bias would show.
      weights.layers.forEach((l) => l.bias.forEach((_, i) => (l.bias[i] = 0.1 * (i % 3) - 0.1)));
      const x = inputs(64, 7);
      const session = await OnnxMlpSession.create(exportMlpToOnnx(weights));
      const onnx = await session.run(x, 64, 7);
      await session.close();
      const { tf } = await selectTfBackend();
      const model = buildTfjsModel(tf, weights);
      const tfjs = (model.predict(tf.tensor2d(x, [64, 7])) as Tensor).dataSync();
      model.dispose();
      expect(onnx.length).toBe(64 * 3);
      let max = 0;
      onnx.forEach((v, i) => (max = Math.max(max, Math.abs(v - tfjs[i]!))));
      expect(max).toBeLessThan(1e-5);
    },
  );

  it('declares a dynamic batch dimension and the documented input/output names', async () => {
    const weights = initMlpWeights(4, { hiddenLayers: [3], activation: 'relu', dropout: 0, seed: 1 });
    const session = await OnnxMlpSession.create(exportMlpToOnnx(weights));
    for (const rows of [1, 5, 1000])
      expect((await session.run(inputs(rows, 4), rows, 4)).length).toBe(rows * 3);
    const bytes = exportMlpToOnnx(weights);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(ONNX_INPUT);
    expect(text).toContain(ONNX_OUTPUT);
    expect(text).toContain('batch');
    expect(text).not.toContain('Dropout');
    await session.close();
  });

  it('a trained, saved and reloaded model predicts identically through ONNX Runtime and TF.js (1e-5)', async () => {
    const train = syntheticSplit(300, 6, 5);
    const result = await trainMlp(
      { train },
      {
        hiddenLayers: [10, 6],
        activation: 'relu',
        dropout: 0.2,
        learningRate: 0.01,
        batchSize: 32,
        epochs: 3,
        optimizer: 'adam',
        seed: 3,
      },
    );
    const store = new ModelStore({ root });
    const saved = await store.save({ strategy: 's', symbol: 'AAPL', timeframe: '1h', result });
    const loaded = await store.load(saved.key);
    const x = inputs(200, 6);
    const viaOnnx = await predict(loaded, { x, rows: 200 });
    const viaTfjs = await predict(loaded, { x, rows: 200 }, { runtime: 'tfjs' });
    // And TF.js loading the saved files with its own loader (the format check).
    const { tf } = await selectTfBackend();
    const tfModel = await tf.loadLayersModel(fileSystemHandler(tf, saved.directory));
    const native = (tfModel.predict(tf.tensor2d(x, [200, 6])) as Tensor).dataSync();
    let max = 0;
    viaOnnx.probabilities.forEach((v, i) => {
      max = Math.max(max, Math.abs(v - viaTfjs.probabilities[i]!), Math.abs(v - native[i]!));
    });
    expect(max).toBeLessThan(1e-5);
    expect(viaOnnx.runtime).toBe('onnx');
    expect(viaOnnx.classes).toEqual(viaTfjs.classes);
    const row = viaOnnx.predictions[0]!;
    expect(['BUY', 'HOLD', 'SELL']).toContain(row.label);
    expect(row.label).toBe(['BUY', 'HOLD', 'SELL'][row.index]);
    expect(row.probabilities.BUY + row.probabilities.HOLD + row.probabilities.SELL).toBeCloseTo(1, 5);
    expect(row.confidence).toBe(
      Math.max(row.probabilities.BUY, row.probabilities.HOLD, row.probabilities.SELL),
    );
    expect((await readFile(path.join(saved.directory, 'model.onnx'))).length).toBeGreaterThan(100);
  });

  it('predict refuses inputs with the wrong feature count', async () => {
    const weights = initMlpWeights(4, { hiddenLayers: [3], activation: 'relu', dropout: 0, seed: 1 });
    await expect(
      predict({ weights }, { x: new Float32Array(10), rows: 2, features: 5 }),
    ).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'x' },
    });
  });
});
