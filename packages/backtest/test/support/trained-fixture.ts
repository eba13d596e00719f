import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@ktrdr/core';
import { BarFrame, CsvStore, DataService } from '@ktrdr/data';
import { type OhlcvColumns, TrainingService, sampleStrategyPath } from '@ktrdr/training';
import { randomWalkBars } from './random-walk-bars';

/** Hourly bars of the fixture: the model trains on the first {@link TRAINED_BARS}. */
export const FIXTURE_BARS = 2400;
export const TRAINED_BARS = 1400;

/** A data folder with simulated AAPL 1h bars, a models folder with the sample strategy trained on part of them. */
export interface TrainedFixture {
  root: string;
  dataDir: string;
  modelsDir: string;
  bars: OhlcvColumns;
  data: DataService;
  /** `neuro_fuzzy_sample/AAPL_1h_v1`. */
  model: string;
  close(): Promise<void>;
}

/** Builds the fixture: real bars in the CSV store, a real (2-epoch) training through TrainingService. */
export async function trainedFixture(): Promise<TrainedFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'ktrdr-backtest-'));
  const dataDir = path.join(root, 'data');
  const modelsDir = path.join(root, 'models');
  const bars = randomWalkBars({ bars: FIXTURE_BARS, seed: 21, volatility: 0.008 });
  await new CsvStore({ dataDir }).save('AAPL', '1h', BarFrame.fromColumns(bars), { simulated: true });
  const data = new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) });
  const training = new TrainingService({ data, maxConcurrentSessions: 1 });
  try {
    const handle = await training.startTraining({
      strategyPath: sampleStrategyPath(),
      symbol: 'AAPL',
      timeframe: '1h',
      endDate: new Date(bars.time[TRAINED_BARS]!).toISOString(),
      epochs: 2,
      seed: 1,
    });
    const outcome = await handle.result();
    return {
      root,
      dataDir,
      modelsDir,
      bars,
      data,
      model: outcome.model!,
      async close() {
        await data.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  } finally {
    await training.close();
  }
}

/** ISO time of bar `i` of the fixture. */
export function barTime(bars: OhlcvColumns, i: number): string {
  return new Date(bars.time[i]!).toISOString();
}
