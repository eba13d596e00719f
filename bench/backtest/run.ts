/**
 * bench/backtest: one year of 1-minute bars (252 sessions x 390 = 98,280 bars) backtested with the
 * sample strategy's features and network shape (MLP 72-64-32-3): features built once for the whole
 * series, one batch `predict` (ONNX Runtime when installed), then the simulation and both metric
 * sets. Two measurements, several runs each, medians:
 *
 * - engine: bars in memory -> signals -> trades, equity and metrics (what the target is about);
 * - full run: `BacktestRunner` over the CSV store and the model store, outputs written (trades,
 *   98k-line equity CSV, metrics), as `ktrdr backtest run` does it in-process.
 *
 *   npx tsx bench/backtest/run.ts [--runs 5]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../packages/core/src/index';
import { BarFrame, CsvStore, DataService } from '../../packages/data/src/index';
import {
  ModelStore,
  type LoadedModel,
  type MlpWeights,
  type OhlcvColumns,
  applyFeatureSpec,
  buildFeatures,
  loadStrategyFile,
  predict,
  sampleStrategyPath,
} from '../../packages/training/src/index';
import {
  BacktestRunner,
  BacktestStore,
  dataStoreBars,
  evaluate,
  modelSignals,
  resolveSettings,
} from '../../packages/backtest/src/index';

const BARS = 252 * 390;
const MINUTE = 60_000;
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const runs = arg('--runs', 5);
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A seeded random walk of 1-minute bars (open = previous close). */
function minuteBars(n: number): OhlcvColumns {
  let state = 42;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const bars: OhlcvColumns = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = open * Math.exp((random() + random() + random() - 1.5) * 0.002);
    bars.time[i] = Date.UTC(2025, 0, 2) + i * MINUTE;
    bars.open[i] = open;
    bars.close[i] = close;
    bars.high[i] = Math.max(open, close) * (1 + random() * 0.0005);
    bars.low[i] = Math.min(open, close) * (1 - random() * 0.0005);
    bars.volume[i] = 100 + Math.floor(random() * 1000);
    price = close;
  }
  return bars;
}

/** Seeded weights of the sample strategy's network: inference costs what a trained model's does. */
function sampleWeights(inputs: number): MlpWeights {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const layer = (inputSize: number, units: number) => ({
    inputSize,
    units,
    kernel: Float32Array.from({ length: inputSize * units }, () => random() * 0.3),
    bias: Float32Array.from({ length: units }, () => random() * 0.1),
  });
  return {
    inputSize: inputs,
    activation: 'relu',
    dropout: 0.2,
    layers: [layer(inputs, 64), layer(64, 32), layer(32, 3)],
  };
}

async function main(): Promise<void> {
  const bars = minuteBars(BARS);
  const strategy = await loadStrategyFile(sampleStrategyPath());
  const built = buildFeatures(bars, strategy);
  const weights = sampleWeights(built.columns.length);
  const model = {
    key: { strategy: strategy.name, symbol: 'AAPL', timeframe: '1m' },
    version: 1,
    weights,
    features: { spec: built.spec },
    config: { strategy_config: strategy },
    metadata: { data_range: null },
  } as unknown as LoadedModel;
  const settings = resolveSettings({ confidence_threshold: 0.4, min_signal_separation: 0.25 });
  const metrics = { mode: 'standard' as const, periodsPerYear: 252 * 390 };

  // Warm-up: ONNX session, WebAssembly, JIT.
  const warm = await modelSignals(model, bars, BARS, { symbol: 'AAPL' });
  const parts = {
    features: [] as number[],
    predict: [] as number[],
    simulate: [] as number[],
    engine: [] as number[],
  };
  let trades = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const matrix = applyFeatureSpec(built.spec, bars);
    const t1 = performance.now();
    await predict(model, { x: matrix.matrix, rows: matrix.rows, features: matrix.columns.length });
    const t2 = performance.now();
    const signals = await modelSignals(model, bars, BARS, { symbol: 'AAPL' });
    const t3 = performance.now();
    const result = evaluate({ ...bars, barMs: MINUTE }, signals, 0, settings, metrics);
    const t4 = performance.now();
    trades = result.simulation.trades.length;
    parts.features.push(t1 - t0);
    parts.predict.push(t2 - t1);
    parts.simulate.push(t4 - t3);
    // The engine as a backtest runs it: signals (features + one batch predict) then the simulation.
    parts.engine.push(t4 - t2);
  }

  // The full run through the runner, over stored bars and a stored model.
  const root = await mkdtemp(path.join(tmpdir(), 'ktrdr-bench-backtest-'));
  const full: number[] = [];
  try {
    const config = loadConfig({ dataDir: path.join(root, 'data'), modelsDir: path.join(root, 'models') }, {});
    await new CsvStore({ dataDir: config.dataDir }).save('AAPL', '1m', BarFrame.fromColumns(bars), {
      simulated: true,
    });
    const store = new ModelStore({ root: config.modelsDir });
    await store.save({
      strategy: strategy.name,
      symbol: 'AAPL',
      timeframe: '1m',
      result: {
        weights,
        config: {
          hiddenLayers: [64, 32],
          activation: 'relu',
          dropout: 0.2,
          learningRate: 0.001,
          batchSize: 64,
          epochs: 1,
          optimizer: 'adam',
          seed: 1,
        },
        features: built.columns.length,
        history: [],
        bestEpoch: 1,
        stoppedEarly: false,
        epochsRun: 1,
        engine: 'cpu-fused',
        backend: 'cpu-fused',
        details: {},
        durationMs: 0,
        samplesPerSecond: 0,
      },
      features: { names: [...built.columns], spec: built.spec },
      strategyConfig: strategy,
      simulated: true,
    });
    const data = new DataService({ config });
    const runner = new BacktestRunner({
      models: store,
      store: new BacktestStore(path.join(root, 'backtests')),
      loadBars: dataStoreBars(data),
    });
    const request = {
      model: `${strategy.name}/AAPL_1m`,
      symbol: 'AAPL',
      start_date: new Date(bars.time[0]!).toISOString(),
      settings: { confidence_threshold: 0.4, min_signal_separation: 0.25 },
    };
    await runner.run(request); // warm-up (builds the CSV cache, opens the ONNX session)
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      await runner.run(request);
      full.push(performance.now() - t0);
    }
    await data.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }

  const ms = (values: number[]) => `${median(values).toFixed(0).padStart(5)} ms`;
  console.log(
    `bench/backtest: ${BARS.toLocaleString('en')} 1m bars, sample strategy (${built.columns.length} features, MLP ${built.columns.length}-64-32-3), ` +
      `inference ${warm.runtime}, ${trades} trades; ${runs} runs, medians`,
  );
  console.log(`features (applyFeatureSpec, whole series):      ${ms(parts.features)}`);
  console.log(
    `predict (one batch of ${built.rows.toLocaleString('en')} rows):          ${ms(parts.predict)}`,
  );
  console.log(`simulate + metrics (strategy and buy & hold):   ${ms(parts.simulate)}`);
  console.log(`engine: signals + simulation + metrics:         ${ms(parts.engine)}   (target <= 2000 ms)`);
  console.log(`full run: CSV store + model store + outputs:    ${ms(full)}`);
  console.log(
    `runs (engine): ${parts.engine.map((v) => v.toFixed(0)).join(', ')} ms; full: ${full.map((v) => v.toFixed(0)).join(', ')} ms`,
  );
}

await main();
