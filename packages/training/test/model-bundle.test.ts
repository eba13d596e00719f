import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PayloadTooLargeError, ValidationError } from '@ktrdr/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportModelBundle,
  importModelBundle,
  type ModelBundle,
  type ModelBundleFile,
} from '../src/storage/model-bundle';
import { ModelStore, type StoredModelInfo } from '../src/storage/model-store';
import { trainMlp } from '../src/trainer/train-mlp';
import { syntheticSplit } from './support/synthetic-dataset';

const key = { strategy: 'bundle_test', symbol: 'AAPL', timeframe: '1h' };
let root: string;
let saved: StoredModelInfo;
let bundle: ModelBundle;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ktrdr-bundle-'));
  const result = await trainMlp(
    { train: syntheticSplit(200, 5, 1), test: syntheticSplit(60, 5, 2) },
    {
      hiddenLayers: [6],
      activation: 'relu',
      dropout: 0,
      learningRate: 0.01,
      batchSize: 32,
      epochs: 2,
      optimizer: 'adam',
      seed: 3,
    },
  );
  saved = await new ModelStore({ root: path.join(root, 'worker') }).save({ ...key, result, simulated: true });
  bundle = JSON.parse(JSON.stringify(await exportModelBundle(saved.directory))) as ModelBundle;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function emptyStore(name: string): Promise<ModelStore> {
  return new ModelStore({ root: await mkdtemp(path.join(root, `${name}-`)) });
}

function file(name: string, data: Buffer | string): ModelBundleFile {
  const bytes = Buffer.from(data);
  return { name, data: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

function withFiles(files: ModelBundleFile[]): ModelBundle {
  return { ...bundle, files };
}

describe('model bundles', () => {
  it('round trip: a bundle imported into another store loads as the same model, with the next version there', async () => {
    const target = await emptyStore('api');
    const first = await importModelBundle(target, bundle);
    const second = await importModelBundle(target, bundle);
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.latest).toBe(true);
    const original = await new ModelStore({ root: path.join(root, 'worker') }).load(key, saved.version);
    const imported = await target.load(key, 1);
    expect(imported.weights.layers.map((l) => Array.from(l.kernel))).toEqual(
      original.weights.layers.map((l) => Array.from(l.kernel)),
    );
    expect(imported.metadata.simulated).toBe(true);
    expect(imported.metrics).toEqual(original.metrics);
    expect(bundle.files.map((f) => f.name).sort()).toEqual((await readdir(saved.directory)).sort());
  });

  it('refuses hostile and damaged bundles and writes nothing', async () => {
    const metadata = bundle.files.find((f) => f.name === 'metadata.json')!;
    const weights = bundle.files.find((f) => f.name === 'weights.bin')!;
    const others = bundle.files.filter((f) => f !== weights);
    const cases: [string, unknown, new (...args: never[]) => Error][] = [
      ['traversal', withFiles([...bundle.files, file('../escape.json', '{}')]), ValidationError],
      ['absolute', withFiles([...bundle.files, file('/tmp/escape.json', '{}')]), ValidationError],
      ['folder', withFiles([...bundle.files, file('sub/model.json', '{}')]), ValidationError],
      ['unknown file', withFiles([...bundle.files, file('run.sh', 'rm -rf /')]), ValidationError],
      ['twice', withFiles([...bundle.files, metadata]), ValidationError],
      ['bad checksum', withFiles([...others, { ...weights, sha256: '0'.repeat(64) }]), ValidationError],
      ['not base64', withFiles([...others, { ...weights, data: '<<<>>>' }]), ValidationError],
      ['missing onnx', withFiles(bundle.files.filter((f) => f.name !== 'model.onnx')), ValidationError],
      ['truncated weights', withFiles([...others, file('weights.bin', Buffer.alloc(8))]), ValidationError],
      [
        'bad json',
        withFiles([...bundle.files.filter((f) => f.name !== 'config.json'), file('config.json', '{')]),
        ValidationError,
      ],
      ['key traversal', { ...bundle, key: { ...key, strategy: '../evil' } }, ValidationError],
      ['key mismatch', { ...bundle, key: { ...key, symbol: 'MSFT' } }, ValidationError],
      ['wrong format', { ...bundle, format: 'zip' }, ValidationError],
      ['not an object', 'hello', ValidationError],
    ];
    for (const [name, hostile, type] of cases) {
      const target = await emptyStore('hostile');
      const error = await importModelBundle(target, hostile).then(
        () => new Error(`${name}: accepted`),
        (e: unknown) => e as Error,
      );
      expect(error, name).toBeInstanceOf(type);
      expect(await readdir(target.root), name).toEqual([]);
    }
    const small = await emptyStore('small');
    await expect(importModelBundle(small, bundle, { maxBytes: 1000 })).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    expect(await readdir(small.root)).toEqual([]);
    await expect(readdir(path.join(root, 'escape.json'))).rejects.toThrow();
  });
});
