import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { type OperationProgress, loadConfig } from '@ktrdr/core';
import { DataService } from '@ktrdr/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTrainingData, sliceRows } from '../../src/features/training-data';
import type { LabelCounts } from '../../src/labels/signals';
import { predict } from '../../src/onnx/predict';
import { type TrainOutcome, TrainingService } from '../../src/service/training-service';
import { sampleStrategyPath } from '../../src/strategy/bundled-strategies';
import { loadStrategyFile } from '../../src/strategy/parse-strategy';
import { MODEL_FILES, ModelStore } from '../../src/storage/model-store';
import { regimeBars, storeSimulatedBars } from './support/fixture-bars';
import { Cleanup } from './support/harness';

/**
 * One real training of the shipped sample strategy on four months of simulated hourly bars, through
 * the whole chain (TrainingService -> operation -> TrainingManager -> TrainingAdapter in-process ->
 * TrainingSessions -> worker thread -> ModelStore), then checks of what it produced.
 */
const EPOCHS = 8;
const MODEL = 'neuro_fuzzy_sample/AAPL_1h_v1';

const cleanup = new Cleanup();
let modelsDir: string;
let data: DataService;
let training: TrainingService;
let outcome: TrainOutcome;
let progress: OperationProgress[];
let operationInfo: ReturnType<Awaited<ReturnType<TrainingService['startTraining']>>['describe']>;

beforeAll(async () => {
  const dataDir = await cleanup.tempDir();
  modelsDir = await cleanup.tempDir();
  // Seeded bars: the labels, the split and the baseline are the same on every run.
  await storeSimulatedBars(dataDir, 'AAPL', '1h', regimeBars({ bars: 3000, seed: 5 }));
  data = cleanup.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) => d.close());
  training = cleanup.add(new TrainingService({ data, maxConcurrentSessions: 1 }), (t) => t.close());
  const handle = await training.startTraining({
    strategyPath: sampleStrategyPath(),
    symbol: 'AAPL',
    timeframe: '1h',
    epochs: EPOCHS,
    seed: 1,
  });
  progress = [];
  handle.on('progress', (p) => progress.push(p));
  outcome = await handle.result();
  operationInfo = handle.describe();
}, 120_000);

afterAll(() => cleanup.run());

async function readJson<T>(...parts: string[]): Promise<T> {
  return JSON.parse(await readFile(path.join(modelsDir, ...parts), 'utf8')) as T;
}

/** The stored bars, as training read them. */
async function storedBars() {
  return (await data.loadCachedData('AAPL', '1h')).frame.columns();
}

describe('end-to-end training on simulated bars', () => {
  it('runs as a training operation with progress, and names the saved model', () => {
    expect(operationInfo).toMatchObject({
      operation_type: 'training',
      status: 'completed',
      metadata: { strategy: 'neuro_fuzzy_sample', symbol: 'AAPL', timeframe: '1h' },
      result_summary: { model: MODEL, simulated: true, epochs_run: EPOCHS },
    });
    expect(outcome.model).toBe(MODEL);
    expect(outcome.session).toMatchObject({ status: 'completed', simulated: true });
    expect(progress.length).toBeGreaterThan(0);
    const percentages = progress.map((p) => p.percentage);
    expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
    expect(percentages.at(-1)).toBe(100);
    expect(progress.some((p) => p.steps_completed === EPOCHS && p.steps_total === EPOCHS)).toBe(true);
    expect(progress.at(-1)?.context).toMatchObject({ session_id: outcome.session.session_id });
  });

  it('beats the majority-class baseline on its validation split', async () => {
    const features = await readJson<{ label_counts: { validation: LabelCounts } }>(
      'neuro_fuzzy_sample',
      'AAPL_1h_v1',
      'features.json',
    );
    // The stored counts are the labels training saw: recompute them from the stored bars.
    const strategy = await loadStrategyFile(sampleStrategyPath());
    const prepared = prepareTrainingData(await storedBars(), strategy);
    const counts = prepared.labelCounts.validation;
    expect(features.label_counts.validation).toEqual(counts);
    const total = counts.buy + counts.hold + counts.sell;
    expect(total).toBe(prepared.split.validation.end - prepared.split.validation.start);
    expect(total).toBeGreaterThan(300);
    const baseline = Math.max(counts.buy, counts.hold, counts.sell) / total;

    const metrics = await readJson<{ validation: { accuracy: number; samples: number } }>(
      'neuro_fuzzy_sample',
      'AAPL_1h_v1',
      'metrics.json',
    );
    expect(metrics.validation.samples).toBe(total);
    // A clear margin, not a coin flip: +0.19 with these seeds (at least +0.12 over 12 data seeds).
    expect(metrics.validation.accuracy).toBeGreaterThan(baseline + 0.05);
    expect((outcome.session.metrics['validation'] as { accuracy: number }).accuracy).toBe(
      metrics.validation.accuracy,
    );
  });

  it('saves the model in {modelsDir}/{strategy}/{symbol}_{tf}_v1 with every file and a latest pointer', async () => {
    const directory = path.join(modelsDir, 'neuro_fuzzy_sample', 'AAPL_1h_v1');
    expect(outcome.session.model?.path).toBe(directory);
    expect((await readdir(directory)).sort()).toEqual(
      [
        'model.json',
        'weights.bin',
        'model.onnx',
        'config.json',
        'metrics.json',
        'features.json',
        'metadata.json',
      ].sort(),
    );
    expect(Object.values(MODEL_FILES).sort()).toEqual((await readdir(directory)).sort());

    const metadata = await readJson<Record<string, unknown>>(
      'neuro_fuzzy_sample',
      'AAPL_1h_v1',
      'metadata.json',
    );
    expect(metadata).toMatchObject({
      strategy: 'neuro_fuzzy_sample',
      symbol: 'AAPL',
      timeframe: '1h',
      version: 1,
      simulated: true,
      classes: ['BUY', 'HOLD', 'SELL'],
      feature_count: 72,
      training: { epochs_run: EPOCHS },
    });
    expect(metadata['backend']).toEqual(
      expect.stringMatching(/^(cpu-fused|tensorflow-gpu|tensorflow|wasm|cpu)$/),
    );
    expect(metadata['backend']).toBe(outcome.session.gpu_usage?.backend);
    const bars = await storedBars();
    expect((metadata['data_range'] as { end: string }).end).toBe(
      new Date(bars.time[bars.time.length - 1]!).toISOString(),
    );

    const pointer = path.join(modelsDir, 'neuro_fuzzy_sample', 'AAPL_1h_latest');
    const stats = await lstat(pointer);
    const target = stats.isSymbolicLink()
      ? await readlink(pointer)
      : (await readFile(pointer, 'utf8')).trim();
    expect(target).toBe('AAPL_1h_v1');
    const store = new ModelStore({ root: modelsDir });
    expect(
      await store.latestVersion({ strategy: 'neuro_fuzzy_sample', symbol: 'AAPL', timeframe: '1h' }),
    ).toBe(1);

    const features = await readJson<{ feature_names: string[]; spec: unknown }>(
      'neuro_fuzzy_sample',
      'AAPL_1h_v1',
      'features.json',
    );
    expect(features.feature_names).toHaveLength(72);
    expect(features.feature_names).toContain('rsi_oversold');
    expect(features.feature_names).toContain('rsi_oversold_lag3');
    expect(features.spec).toBeTruthy();
  });

  it('lists and shows the model with its metrics', async () => {
    const models = await training.listModels();
    expect(models).toEqual([
      expect.objectContaining({ name: MODEL, version: 1, latest: true, simulated: true, symbol: 'AAPL' }),
    ]);
    const shown = await training.getModel('neuro_fuzzy_sample/AAPL_1h');
    expect(shown.name).toBe(MODEL);
    expect(shown.features).toHaveLength(72);
    expect((shown.metrics['history'] as unknown[]).length).toBe(EPOCHS);
    expect(shown.test_accuracy).toBe((shown.metrics['test'] as { accuracy: number }).accuracy);
  });

  it('predicts BUY/HOLD/SELL per bar on the latest stored bars, probabilities summing to 1', async () => {
    const bars = await storedBars();
    const wanted = 12;
    const result = await training.predict({
      model: 'neuro_fuzzy_sample/AAPL_1h',
      symbol: 'AAPL',
      bars: wanted,
    });
    expect(result).toMatchObject({
      model: MODEL,
      symbol: 'AAPL',
      timeframe: '1h',
      simulated: true,
      runtime: 'onnx',
    });
    expect(result.predictions).toHaveLength(wanted);
    // The store's date format: ISO UTC to the second, as in the CSV files.
    const lastTimes = Array.from(bars.time.subarray(bars.time.length - wanted), (t) =>
      new Date(t).toISOString().replace('.000Z', 'Z'),
    );
    expect(result.predictions.map((p) => p.date)).toEqual(lastTimes);
    for (const p of result.predictions) {
      const { BUY, HOLD, SELL } = p.probabilities;
      expect(BUY + HOLD + SELL).toBeCloseTo(1, 5);
      const best = Math.max(BUY, HOLD, SELL);
      expect(p.probabilities[p.signal]).toBe(best);
      expect(p.class_index).toBe(['BUY', 'HOLD', 'SELL'].indexOf(p.signal));
    }
  });

  it('predicts from the same features training computed for those bars', async () => {
    // Inference must rebuild exactly the inputs training saw for a bar, whatever history it reads.
    const wanted = 12;
    const strategy = await loadStrategyFile(sampleStrategyPath());
    const prepared = prepareTrainingData(await storedBars(), strategy);
    const last = sliceRows(prepared, { start: prepared.rows - wanted, end: prepared.rows });
    const model = await new ModelStore({ root: modelsDir }).load({
      strategy: 'neuro_fuzzy_sample',
      symbol: 'AAPL',
      timeframe: '1h',
    });
    const expected = await predict(model, { x: last.x, rows: wanted, features: prepared.columns.length });
    const result = await training.predict({ model: MODEL, symbol: 'AAPL', bars: wanted });
    result.predictions.forEach((p, i) => {
      const row = expected.predictions[i]!;
      for (const label of ['BUY', 'HOLD', 'SELL'] as const) {
        expect(Math.abs(p.probabilities[label] - row.probabilities[label])).toBeLessThan(1e-5);
      }
    });
  });

  it('gives the same predictions through ONNX Runtime and TF.js, within 1e-5', async () => {
    const request = { model: MODEL, symbol: 'AAPL', bars: 200 };
    const onnx = await training.predict({ ...request, runtime: 'onnx' });
    const tfjs = await training.predict({ ...request, runtime: 'tfjs' });
    expect(onnx.runtime).toBe('onnx');
    expect(tfjs.runtime).toBe('tfjs');
    expect(tfjs.predictions.map((p) => p.date)).toEqual(onnx.predictions.map((p) => p.date));
    let maxDifference = 0;
    onnx.predictions.forEach((p, i) => {
      for (const label of ['BUY', 'HOLD', 'SELL'] as const) {
        maxDifference = Math.max(
          maxDifference,
          Math.abs(p.probabilities[label] - tfjs.predictions[i]!.probabilities[label]),
        );
      }
    });
    expect(maxDifference).toBeLessThan(1e-5);
  });
});
