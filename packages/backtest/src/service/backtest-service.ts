import { setImmediate } from 'node:timers/promises';
import {
  type HealthStatus,
  type KtrdrConfig,
  NotFoundError,
  type OperationHandle,
  OperationRegistry,
  loadConfig,
  parseInput,
} from '@ktrdr/core';
import type { DataService } from '@ktrdr/data';
import { ModelStore, parseModelName } from '@ktrdr/training';
import { BacktestAdapter } from '../adapter/backtest-adapter';
import {
  type BacktestDetail,
  type BacktestRequestInput,
  type BacktestSummary,
  backtestRequestSchema,
} from '../contract/backtest-schemas';
import { createBacktestHostService } from '../host-service/create-backtest-host-service';
import { BacktestManager } from '../manager/backtest-manager';
import { BacktestRunner, type LoadBacktestBars } from '../runner/backtest-runner';
import { type BacktestBundle, parseBacktestBundle } from '../storage/backtest-import';
import { BacktestStore, defaultBacktestsDir } from '../storage/backtest-store';

/** Options of {@link BacktestService}. */
export interface BacktestServiceOptions {
  /** Bars come from its store. */
  data: DataService;
  /** Resolved configuration (default: the data service's). */
  config?: KtrdrConfig;
  /** Where backtest operations are registered (default: the data service's, so one list shows all). */
  operations?: OperationRegistry;
  /** The folder backtests are stored in (default: `backtests` beside the models folder). */
  backtestsDir?: string;
  /** The adapter (default: the backtest host in this process, over the models folder and the data store). */
  adapter?: BacktestAdapter;
}

/**
 * The backtest path's entry point: start backtests as operations (type `backtest`, with progress
 * and cancel), list and show stored ones. By default the backtest host runs in this process, over
 * the configuration's models folder and the data service's store.
 */
export class BacktestService implements AsyncDisposable {
  readonly config: KtrdrConfig;
  readonly operations: OperationRegistry;
  readonly adapter: BacktestAdapter;
  readonly manager: BacktestManager;
  /** Where this process stores backtests (the in-process host's folder). */
  readonly backtestsDir: string;
  private readonly running = new Set<OperationHandle<BacktestSummary>>();
  private closing: Promise<void> | undefined;

  constructor(options: BacktestServiceOptions) {
    this.config = options.config ?? options.data.config ?? loadConfig();
    this.operations = options.operations ?? options.data.operations ?? new OperationRegistry();
    this.backtestsDir = options.backtestsDir ?? defaultBacktestsDir(this.config.modelsDir);
    this.adapter =
      options.adapter ??
      new BacktestAdapter({
        kind: 'in-process',
        service: createBacktestHostService(
          new BacktestRunner({
            models: new ModelStore({ root: this.config.modelsDir }),
            store: new BacktestStore(this.backtestsDir),
            loadBars: dataStoreBars(options.data),
          }),
        ),
      });
    this.manager = new BacktestManager(this.adapter);
  }

  /**
   * Starts a backtest as an operation and returns its handle at once. The request is checked here
   * (shape, settings, model name), so a bad one fails before any operation exists.
   */
  async startBacktest(
    input: BacktestRequestInput,
    options: { signal?: AbortSignal } = {},
  ): Promise<OperationHandle<BacktestSummary>> {
    const request = parseInput(backtestRequestSchema, input, 'backtest request');
    parseModelName(request.model);
    const handle = this.operations.start(
      'backtest',
      async ({ signal, reportProgress }) => {
        // The caller gets the handle after an `await`: start on the next turn, once it has subscribed.
        await setImmediate();
        return this.manager.runBacktest(request, { signal, onProgress: reportProgress });
      },
      {
        signal: options.signal,
        metadata: {
          model: request.model,
          symbol: request.symbol,
          timeframe: request.timeframe ?? null,
          start_date: request.start_date,
          end_date: request.end_date ?? null,
          metrics_mode: request.metrics_mode ?? 'standard',
        },
        summarize: (summary) => ({ ...summary }),
      },
    );
    this.running.add(handle);
    const forget = () => this.running.delete(handle);
    handle.result().then(forget, forget);
    return handle;
  }

  /** Stored backtests, newest first, and the damaged folders left out. */
  listBacktests() {
    return this.adapter.list();
  }

  /** One stored backtest: summary, trades and equity curve (at most `points` points, default 500). */
  getBacktest(backtestId: string, points?: number): Promise<BacktestDetail> {
    return this.adapter.show(backtestId, points);
  }

  /**
   * Stores a backtest computed elsewhere (a queue worker without this folder) in
   * {@link backtestsDir}, once: importing an id already stored answers the stored summary and
   * changes nothing, so a retried hand-off is harmless.
   * @throws ValidationError for a malformed bundle (nothing is written).
   */
  async importBacktest(bundle: BacktestBundle): Promise<BacktestSummary> {
    const backtest = parseBacktestBundle(bundle);
    const store = new BacktestStore(this.backtestsDir);
    try {
      return (await store.load(backtest.summary.backtest_id)).summary;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    await store.save(backtest);
    return backtest.summary;
  }

  /** Health of the backtest path. */
  healthCheck(): Promise<HealthStatus> {
    return this.adapter.healthCheck();
  }

  /** Cancels running backtests, waits for them to end, and closes the adapter. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const running = [...this.running];
      for (const handle of running) handle.cancel('The backtest service is closing');
      await Promise.allSettled(running.map((handle) => handle.result()));
      await this.adapter.close();
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Bars from the data service's store (real series first, else simulated ones). */
export function dataStoreBars(data: DataService): LoadBacktestBars {
  return async ({ symbol, timeframe, start, end }) => {
    const loaded = await data.loadCachedData(symbol, timeframe, {
      ...(start === undefined ? {} : { start: new Date(Math.max(0, start)).toISOString() }),
      ...(end === undefined ? {} : { end: new Date(end).toISOString() }),
    });
    return { symbol: loaded.symbol, columns: loaded.frame.columns(), simulated: loaded.simulated };
  };
}
