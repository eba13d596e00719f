import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@ktrdr/core';
import { DataService, TIMEFRAME_SPECS, parseSymbol, parseTimeframe } from '@ktrdr/data';
import { startIbSimulator } from '@ktrdr/ib-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingService } from '../../src/service/training-service';
import { loadStrategyFile } from '../../src/strategy/parse-strategy';
import { Cleanup } from './support/harness';

/**
 * Every strategy of the repository's strategies/ folder (read from the folder, so a new file is
 * covered without touching this test), trained for 2 epochs through the training service on bars the
 * data service loads from the IB simulator, then used for predictions on each of its symbols.
 */
const folder = fileURLToPath(new URL('../../../../strategies/', import.meta.url));
const FILES = readdirSync(folder)
  .filter((file) => file.endsWith('.yaml'))
  .sort();

/** The simulated market's clock (a Friday after the close), so the bars are the same on every run. */
const SIM_NOW = new Date('2024-06-28T21:00:00Z');
/** Compression of IB's pacing windows, shared by the simulator and the client's pacing scheduler. */
const TIME_SCALE = 100;
/**
 * Five months: enough daily bars for the slowest daily input (SMA 50 plus lags) to warm up, and few
 * enough hourly forex bars (~2,200 a pair) that the whole folder trains in seconds.
 */
const RANGE = { startDate: '2024-02-01', endDate: '2024-06-28' };

const cleanup = new Cleanup();
let training: TrainingService;

beforeAll(async () => {
  const simulator = cleanup.add(
    await startIbSimulator({ port: 0, seed: 7, now: () => SIM_NOW, timeScale: TIME_SCALE }),
    (s) => s.close(),
  );
  const config = loadConfig(
    {
      ib: { host: simulator.host, port: simulator.port },
      dataDir: await cleanup.tempDir(),
      modelsDir: await cleanup.tempDir(),
    },
    {},
  );
  const data = cleanup.add(
    new DataService({ config, ibSource: { pacing: { timeScale: TIME_SCALE } } }),
    (d) => d.close(),
  );
  training = cleanup.add(new TrainingService({ data, maxConcurrentSessions: 1 }), (t) => t.close());
}, 30_000);

afterAll(() => cleanup.run());

/** Timeframes as a model records them: the base (highest frequency) first. */
function baseFirst(timeframes: readonly string[]): string[] {
  return timeframes
    .map(parseTimeframe)
    .sort((a, b) => TIMEFRAME_SPECS[a].ms - TIMEFRAME_SPECS[b].ms)
    .map(String);
}

describe('every strategy of strategies/ trains on simulator data and predicts', () => {
  it('finds the folder with its strategies', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(6);
  });

  it.each(FILES)(
    '%s',
    async (file) => {
      const strategyPath = path.join(folder, file);
      const strategy = await loadStrategyFile(strategyPath);
      const declared = strategy.training_data ?? strategy.data;
      expect(declared, `${file} declares no symbols and timeframes`).toBeDefined();
      const symbols = declared!.symbols.map(parseSymbol);
      const timeframes = baseFirst(declared!.timeframes);

      // Nothing is stored up front: the training loads each series not stored yet (`--load-missing`);
      // one range for every file, so a series an earlier file loaded serves the later ones as it is.
      const handle = await training.startTraining({
        strategyPath,
        epochs: 2,
        seed: 1,
        loadMissing: true,
        ...RANGE,
      });
      const outcome = await handle.result();
      const model = await training.getModel(outcome.model!);
      const trainedOn = { symbols, timeframes, warnings: strategy.warnings ?? [] };
      expect(model.metadata).toMatchObject({ ...trainedOn, base_timeframe: timeframes[0], simulated: true });
      expect(handle.describe().result_summary).toMatchObject({
        ...trainedOn,
        epochs_run: 2,
        simulated: true,
      });

      for (const symbol of symbols) {
        const result = await training.predict({ model: outcome.model!, symbol, bars: 3 });
        expect(result).toMatchObject({ symbol, timeframe: timeframes[0], timeframes, simulated: true });
        expect(result.predictions).toHaveLength(3);
      }
    },
    60_000,
  );
});
