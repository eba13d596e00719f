import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, NotFoundError, ValidationError, serveService } from '@ktrdr/core';
import { ModelStore } from '@ktrdr/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BacktestAdapter } from '../src/adapter/backtest-adapter';
import { createBacktestHostService } from '../src/host-service/create-backtest-host-service';
import { BacktestRunner } from '../src/runner/backtest-runner';
import { BacktestService, dataStoreBars } from '../src/service/backtest-service';
import { BacktestStore } from '../src/storage/backtest-store';
import {
  FIXTURE_BARS,
  TRAINED_BARS,
  type TrainedFixture,
  barTime,
  trainedFixture,
} from './support/trained-fixture';

let fixture: TrainedFixture;
let service: BacktestService;

beforeAll(async () => {
  fixture = await trainedFixture();
  service = new BacktestService({ data: fixture.data });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await fixture?.close();
});

const outOfSample = () => ({
  model: fixture.model,
  symbol: 'AAPL',
  start_date: barTime(fixture.bars, TRAINED_BARS + 200),
});

describe('BacktestService: a backtest as an operation', () => {
  it('runs a trained model over stored bars, with progress, and stores every output beside the models', async () => {
    const handle = await service.startBacktest(outOfSample());
    const seen: number[] = [];
    handle.on('progress', (p) => seen.push(p.percentage));
    const summary = await handle.result();
    expect(handle.describe().operation_type).toBe('backtest');
    expect(handle.describe().status).toBe('completed');
    expect(seen.at(-1)).toBe(100);
    expect(summary).toMatchObject({
      model: fixture.model,
      symbol: 'AAPL',
      timeframe: '1h',
      bars: FIXTURE_BARS - TRAINED_BARS - 200,
      simulated: true,
      metrics_mode: 'standard',
      start_date: barTime(fixture.bars, TRAINED_BARS + 200).replace('.000Z', 'Z'),
    });
    expect(summary.warnings.filter((w) => w.includes('trained on'))).toEqual([]);
    expect(summary.metrics['periods_per_year']).toBe(252 * 7);
    expect(summary.buy_and_hold['total_trades']).toBe(1);
    // Stored in `backtests` beside `models`, labelled simulated.
    const dir = path.join(fixture.root, 'backtests', summary.backtest_id);
    expect((await readdir(dir)).sort()).toEqual([
      'README-SIMULATED.txt',
      'equity.csv',
      'metrics.json',
      'trades.csv',
      'trades.json',
    ]);
    const equity = (await readFile(path.join(dir, 'equity.csv'), 'utf8')).trim().split('\n');
    expect(equity[0]).toBe('date,equity,buy_and_hold,position,close,simulated');
    expect(equity).toHaveLength(summary.bars + 1);
    expect(equity[1]!.endsWith(',true')).toBe(true);
    const trades = (await readFile(path.join(dir, 'trades.csv'), 'utf8')).trim().split('\n');
    expect(trades).toHaveLength(Number(summary.metrics['total_trades']) + 1);
    expect(JSON.parse(await readFile(path.join(dir, 'metrics.json'), 'utf8'))).toEqual(summary);

    const { backtests } = await service.listBacktests();
    expect(backtests.map((b) => b.backtest_id)).toContain(summary.backtest_id);
    const detail = await service.getBacktest(summary.backtest_id, 50);
    expect(detail.equity.total_points).toBe(summary.bars);
    expect(detail.equity.equity).toHaveLength(50);
    expect(detail.equity.equity.at(-1)).toBeCloseTo(Number(summary.metrics['final_equity']), 6);
    expect(detail.trades).toHaveLength(Number(summary.metrics['total_trades']));
  });

  it('warns when the range overlaps the training range, and computes Python metrics on request', async () => {
    const summary = await (
      await service.startBacktest({
        ...outOfSample(),
        start_date: barTime(fixture.bars, 1100),
        end_date: barTime(fixture.bars, 1600),
        metrics_mode: 'ktrdr',
        settings: { commission: 0, slippage: 0, confidence_threshold: 0 },
      })
    ).result();
    expect(summary.bars).toBe(500);
    expect(summary.warnings.some((w) => w.includes('overlaps the bars the model was trained on'))).toBe(true);
    expect(summary.metrics['periods_per_year']).toBe(252);
    expect(summary.settings).toMatchObject({ commission: 0, slippage: 0, confidence_threshold: 0 });
  });

  it('refuses bad requests before any operation exists, and says what is missing', async () => {
    await expect(service.startBacktest({ ...outOfSample(), model: '../etc' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      service.startBacktest({ ...outOfSample(), settings: { position_fraction: 2 } }),
    ).rejects.toBeInstanceOf(ValidationError);
    const wrongTf = await service.startBacktest({ ...outOfSample(), timeframe: '4h' });
    await expect(wrongTf.result()).rejects.toBeInstanceOf(ValidationError);
    const empty = await service.startBacktest({ ...outOfSample(), start_date: '2030-01-01' });
    await expect(empty.result()).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.getBacktest('../../models')).rejects.toBeInstanceOf(ValidationError);
    await expect(service.getBacktest('bt_20200101_000000_00000000')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('cancels: the operation ends cancelled and stores nothing', async () => {
    const before = (await service.listBacktests()).backtests.length;
    const handle = await service.startBacktest(outOfSample());
    handle.cancel('test');
    await expect(handle.result()).rejects.toBeInstanceOf(CancelledError);
    expect(handle.describe().status).toBe('cancelled');
    expect((await service.listBacktests()).backtests).toHaveLength(before);
  });
});

describe('BacktestAdapter over HTTP', () => {
  it('runs on a backtest host served over HTTP, with the same result shape and streamed progress', async () => {
    const runner = new BacktestRunner({
      models: new ModelStore({ root: fixture.modelsDir }),
      store: new BacktestStore(path.join(fixture.root, 'host-backtests')),
      loadBars: dataStoreBars(fixture.data),
    });
    const server = await serveService(createBacktestHostService(runner), { host: '127.0.0.1', port: 0 });
    const adapter = new BacktestAdapter({ kind: 'http', url: server.url });
    try {
      const steps: string[] = [];
      const summary = await adapter.run(outOfSample(), { onProgress: (p) => steps.push(p.step) });
      expect(steps).toContain('Simulating trades');
      expect(summary.simulated).toBe(true);
      expect((await adapter.list()).backtests.map((b) => b.backtest_id)).toEqual([summary.backtest_id]);
      expect((await adapter.show(summary.backtest_id)).backtest_id).toBe(summary.backtest_id);
      await expect(adapter.show('nope')).rejects.toBeInstanceOf(ValidationError);
      expect((await adapter.healthCheck()).mode).toBe('http');
    } finally {
      await adapter.close();
      await server.close();
    }
  });
});
