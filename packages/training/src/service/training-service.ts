import { readFile } from 'node:fs/promises';
import { setImmediate } from 'node:timers/promises';
import {
  type HealthStatus,
  type KtrdrConfig,
  NotFoundError,
  type OperationHandle,
  OperationRegistry,
  ValidationError,
  loadConfig,
  sleep,
} from '@ktrdr/core';
import { type DataService, TIMEFRAME_SPECS, formatIsoUtc, parseSymbol, parseTimeframe } from '@ktrdr/data';
import { TrainingAdapter } from '../adapter/training-adapter';
import type { ModelSummary } from '../contract/training-api-contract';
import { applyFeatureSpec } from '../features/build-features';
import type { FeatureInput } from '../features/build-features';
import type { FeatureSpec } from '../features/feature-spec';
import type { TimeframeSeries } from '../features/timeframe-alignment';
import { createTrainingHostService } from '../host-service/create-training-host-service';
import type { TrainingSessionInfo } from '../contract/training-host-contract';
import { TrainingManager } from '../manager/training-manager';
import { validateMlpConfig } from '../model/mlp-config';
import { type PredictRuntime, predict, releasePredictor } from '../onnx/predict';
import { mlpConfigFromStrategy } from '../session/strategy-to-mlp';
import { TrainingSessions } from '../session/training-sessions';
import { importModelBundle } from '../storage/model-bundle';
import { type LoadedModel, type StoredModelInfo, ModelStore } from '../storage/model-store';
import { parseStrategy } from '../strategy/parse-strategy';
import { trainingScope } from '../session/session-data';
import { type ModelRef, formatModelName, modelKeyParts, parseModelName } from '../storage/model-names';
import { loadMissingData } from './ensure-data';
import { TrainingWorkerPool } from '../worker/training-worker-pool';
import type { TrainingSummary } from './training-summary';

/** Options of {@link TrainingService}. */
export interface TrainingServiceOptions {
  /** Bars for training and prediction come from here. */
  data: DataService;
  /** Resolved configuration (default: the data service's). */
  config?: KtrdrConfig;
  /** Where training operations are registered (default: the data service's, so one list shows both). */
  operations?: OperationRegistry;
  /** The adapter (default: per configuration, http to the training host or in-process). */
  adapter?: TrainingAdapter;
  /** Concurrent sessions of the in-process trainer (default: cores - 1). */
  maxConcurrentSessions?: number;
}

/** A training request. Give the strategy as a file path or as YAML text. */
export interface TrainRequest {
  strategyPath?: string;
  strategyYaml?: string;
  /**
   * The name strategy problems are located in (`file:line:col`): the file `strategyYaml` was read
   * from. Default: `strategyPath` as given, else `strategy.yaml`.
   */
  strategyFile?: string;
  /** One symbol (shorthand for `symbols: [symbol]`). */
  symbol?: string;
  /** One timeframe (shorthand for `timeframes: [timeframe]`). */
  timeframe?: string;
  /** Default: every symbol the strategy declares (`training_data`, else `data`). */
  symbols?: string[];
  /** Default: every timeframe the strategy declares; several make a multi-timeframe model. */
  timeframes?: string[];
  /**
   * Load series that are not stored yet through the data service before training (default false):
   * from `startDate`, else the last year.
   */
  loadMissing?: boolean;
  startDate?: string;
  endDate?: string;
  epochs?: number;
  seed?: number;
  /**
   * Epoch checkpoints (kept under the trainer's models folder by `id`), and resuming from the
   * latest one: see docs/guides/training.md, "Checkpoints and resume".
   */
  checkpoint?: { id: string; every?: number; resume?: boolean };
  signal?: AbortSignal;
}

/** Outcome of a training operation. */
export interface TrainOutcome {
  session: TrainingSessionInfo;
  /** Name of the saved model (`{strategy}/{symbol}_{tf}_v{N}`). */
  model: string | null;
  /** Series loaded before training (`loadMissing`), as `SYMBOL timeframe`. */
  loaded: string[];
}

/** Options of {@link TrainingService.predict}. */
export interface PredictRequest {
  /** A model name as `listModels` shows it (version optional: latest). */
  model: string;
  symbol: string;
  /**
   * Default: the model's timeframe. A multi-timeframe model reads every timeframe it was trained on;
   * naming another one is refused.
   */
  timeframe?: string;
  /** Predict on the last `bars` bars (default 10). */
  bars?: number;
  /** See `PredictOptions.runtime` (default `onnx`, or the built-in engine without onnxruntime-node). */
  runtime?: PredictRuntime;
  /** Load the series the model needs that are not stored yet, through the data service (default false). */
  loadMissing?: boolean;
}

/**
 * History read before the predicted bars, per warm-up bar of the feature spec, and at least. The
 * warm-up alone is not enough: recursive indicators (EMA, MACD, Wilder's RSI and ATR) carry their
 * seed for many bars, so features computed on a short tail differ from the ones training computed
 * on the full series. Read enough history for them to converge to the same values.
 */
const HISTORY_PER_WARMUP_BAR = 20;
const MIN_HISTORY_BARS = 1000;
/** What `loadMissing` loads for a training given no start date: the last year. */
const DEFAULT_LOAD_MS = 365 * 24 * 3_600_000;
/** Calendar time per bar time when loading for a prediction: a stock trades 6.5 of 24 hours, 5 of 7 days. */
const CALENDAR_PER_BAR_TIME = 5.5;
/** How long closing waits for cancelled trainings to report their end before closing the adapter. */
const CLOSE_GRACE_MS = 15_000;

function summaryOf(info: StoredModelInfo): ModelSummary {
  return {
    name: formatModelName(info.key, info.version),
    strategy: info.key.strategy,
    symbol: info.key.symbol,
    timeframe: info.key.timeframe,
    version: info.version,
    latest: info.latest,
    created_at: info.metadata.created_at,
    backend: info.metadata.backend,
    test_accuracy: info.metadata.test_accuracy,
    simulated: info.metadata.simulated,
    directory: info.directory,
  };
}

/**
 * The training path's entry point (the seed's TrainingService): start trainings as operation
 * handles, list and show models, predict. Training runs on the training host service over HTTP when
 * `USE_TRAINING_HOST_SERVICE` says so, otherwise in worker threads of this process.
 */
export class TrainingService implements AsyncDisposable {
  readonly config: KtrdrConfig;
  readonly data: DataService;
  readonly operations: OperationRegistry;
  readonly adapter: TrainingAdapter;
  readonly manager: TrainingManager;
  readonly models: ModelStore;
  private readonly sessions: TrainingSessions | undefined;
  /** Training operations of this service not finished yet. */
  private readonly running = new Set<OperationHandle<TrainOutcome>>();
  private closing: Promise<void> | undefined;
  private readonly loadedModels = new Map<string, Promise<LoadedModel>>();

  constructor(options: TrainingServiceOptions) {
    this.data = options.data;
    this.config = options.config ?? options.data.config ?? loadConfig();
    this.operations = options.operations ?? options.data.operations ?? new OperationRegistry();
    this.models = new ModelStore({ root: this.config.modelsDir });
    if (options.adapter !== undefined) {
      this.adapter = options.adapter;
    } else if (this.config.training.useHostService) {
      this.adapter = new TrainingAdapter({ kind: 'http', url: this.config.training.hostServiceUrl });
    } else {
      this.sessions = createLocalTrainer(this.data, this.config.modelsDir, options.maxConcurrentSessions);
      this.adapter = new TrainingAdapter({
        kind: 'in-process',
        service: createTrainingHostService(this.sessions),
      });
    }
    this.manager = new TrainingManager({ adapter: this.adapter });
  }

  /**
   * Starts a training as an operation (type `training`) and returns its handle at once. The
   * strategy is read and validated here, so a bad file fails before any operation exists.
   */
  async startTraining(request: TrainRequest): Promise<OperationHandle<TrainOutcome>> {
    const { yaml, fileName } = await this.strategyText(request);
    const strategy = parseStrategy(yaml, fileName);
    const declared = strategy.training_data ?? strategy.data;
    const requestedSymbols = listOf(request.symbols, request.symbol) ?? declared?.symbols ?? [];
    const requestedTimeframes = listOf(request.timeframes, request.timeframe) ?? declared?.timeframes ?? [];
    if (requestedSymbols.length === 0 || requestedTimeframes.length === 0) {
      throw new ValidationError(
        `Give a symbol and a timeframe: ${fileName} has no training_data or data section naming them`,
        { details: { field: requestedSymbols.length === 0 ? 'symbol' : 'timeframe' } },
      );
    }
    // As the data layer spells them, so the model is saved under the names its bars are stored under.
    const { symbols, timeframes } = trainingScope(
      { symbols: requestedSymbols.map(parseSymbol), timeframes: requestedTimeframes.map(parseTimeframe) },
      strategy,
    );
    const { symbol, timeframe } = modelKeyParts(symbols, timeframes);
    // Whatever the trainer would refuse is refused now, while no operation exists yet.
    validateMlpConfig(
      mlpConfigFromStrategy(
        strategy,
        { epochs: request.epochs, seed: request.seed },
        { yaml, fileName },
        symbols.length,
      ),
    );
    const warnings = [...(strategy.warnings ?? [])];
    const handle = this.operations.start(
      'training',
      async ({ signal, reportProgress }) => {
        // The caller gets the handle after an `await`: start on the next turn, once it has subscribed.
        await setImmediate();
        const loaded =
          request.loadMissing === true
            ? await loadMissingData(this.data, symbols, timeframes, {
                // Not from the broker's first bar (decades of hourly bars): a year unless told.
                start: request.startDate ?? new Date(Date.now() - DEFAULT_LOAD_MS).toISOString(),
                end: request.endDate,
                signal,
              })
            : [];
        const session = await this.manager.runTraining(
          {
            model_configuration: { strategy_yaml: yaml, strategy_name: strategy.name },
            training_configuration: { epochs: request.epochs, seed: request.seed },
            data_configuration: {
              symbols,
              timeframes,
              start_date: request.startDate,
              end_date: request.endDate,
            },
            ...(request.checkpoint === undefined
              ? {}
              : {
                  checkpoint_configuration: {
                    checkpoint_id: request.checkpoint.id,
                    every_epochs: request.checkpoint.every,
                    resume: request.checkpoint.resume,
                  },
                }),
          },
          { signal, onProgress: reportProgress },
        );
        return { session, model: session.model?.name ?? null, loaded };
      },
      {
        signal: request.signal,
        metadata: {
          strategy: strategy.name,
          symbol,
          timeframe,
          symbols,
          timeframes,
          base_timeframe: timeframes[0],
          warnings,
          start_date: request.startDate ?? null,
          end_date: request.endDate ?? null,
        },
        summarize: (outcome): TrainingSummary => ({
          model: outcome.model,
          strategy: strategy.name,
          symbol,
          timeframe,
          symbols,
          timeframes,
          warnings,
          loaded: outcome.loaded,
          simulated: outcome.session.simulated,
          backend: outcome.session.gpu_usage?.backend ?? null,
          test: outcome.session.metrics['test'] ?? null,
          test_by_symbol: outcome.session.metrics['test_by_symbol'] ?? null,
          epochs_run: outcome.session.metrics['epochs_run'] ?? null,
          resumed_from_epoch: outcome.session.metrics['resumed_from_epoch'] ?? null,
        }),
      },
    );
    this.running.add(handle);
    const forget = () => this.running.delete(handle);
    handle.result().then(forget, forget);
    return handle;
  }

  private async strategyText(request: TrainRequest): Promise<{ yaml: string; fileName: string }> {
    if (request.strategyYaml !== undefined) {
      return { yaml: request.strategyYaml, fileName: request.strategyFile ?? 'strategy.yaml' };
    }
    if (request.strategyPath === undefined) {
      throw new ValidationError('Give a strategy file (strategyPath) or its YAML text (strategyYaml)', {
        details: { field: 'strategy' },
      });
    }
    try {
      return {
        yaml: await readFile(request.strategyPath, 'utf8'),
        fileName: request.strategyFile ?? request.strategyPath,
      };
    } catch {
      throw new NotFoundError(`Strategy file ${request.strategyPath} cannot be read`, {
        details: { field: 'strategy' },
      });
    }
  }

  /** Every stored model version. */
  /**
   * Stores a model bundle (from `exportModelBundle`, e.g. a worker's trained model) as the next
   * version of its model in this service's models folder.
   * @throws ValidationError for a malformed, hostile or corrupt bundle (nothing is written);
   *   PayloadTooLargeError for one over the size limit.
   */
  async importModel(bundle: unknown): Promise<ModelSummary> {
    return summaryOf(await importModelBundle(this.models, bundle));
  }

  async listModels(): Promise<ModelSummary[]> {
    return (await this.models.list()).map(summaryOf);
  }

  /**
   * Every stored model version, and the versions left out because their metadata is damaged (named
   * relative to the models folder), so a listing reports them rather than dropping them unseen.
   */
  async surveyModels(): Promise<{
    models: ModelSummary[];
    problems: { model: string; file: string; message: string }[];
  }> {
    const { models, corrupt } = await this.models.survey();
    return {
      models: models.map(summaryOf),
      problems: corrupt.map(({ model, file, message }) => ({ model, file, message })),
    };
  }

  /** One model with its metrics history, feature names and metadata. */
  async getModel(name: string) {
    const ref = parseModelName(name);
    const model = await this.models.load(ref.key, ref.version);
    return {
      ...summaryOf(model),
      metrics: model.metrics,
      features: model.featureNames,
      metadata: model.metadata as Record<string, unknown>,
    };
  }

  /** Per-bar BUY/HOLD/SELL with probabilities on the latest stored bars of `symbol`. */
  async predict(request: PredictRequest) {
    const ref = parseModelName(request.model);
    const model = await this.loadedModel(ref);
    const spec = model.features['spec'] as FeatureSpec | undefined;
    if (spec === undefined) {
      throw new ValidationError(`Model ${request.model} has no feature spec in features.json: retrain it`, {
        details: { field: 'model' },
      });
    }
    const timeframe = predictionTimeframe(spec, request.timeframe ?? ref.key.timeframe, request.model);
    const others = spec.timeframes?.slice(1) ?? [];
    const wanted = request.bars ?? 10;
    const history = Math.max(MIN_HISTORY_BARS, spec.warmupBars * HISTORY_PER_WARMUP_BAR);
    const baseMs = spec.timeframes?.[0]?.barMs ?? TIMEFRAME_SPECS[parseTimeframe(timeframe)].ms;
    const loaded =
      request.loadMissing === true
        ? await loadMissingData(this.data, [request.symbol], [timeframe, ...others.map((p) => p.timeframe)], {
            // Enough calendar time for the bars read below, even for a market open a few hours a day.
            start: new Date(
              Date.now() - (wanted + spec.warmupBars + history) * baseMs * CALENDAR_PER_BAR_TIME,
            ).toISOString(),
          })
        : [];
    const stored = await this.data.loadCachedData(request.symbol, timeframe);
    const frame = stored.frame.tail(wanted + spec.warmupBars + history);
    let input: FeatureInput = frame.columns();
    let simulated = stored.simulated;
    if (spec.timeframes !== undefined) {
      // Every other timeframe from as far back as the same number of its own bars reaches.
      const from = frame.firstTime ?? 0;
      const series: TimeframeSeries[] = [{ timeframe, barMs: spec.timeframes[0]!.barMs, bars: input }];
      for (const part of others) {
        const bars = await this.data.loadCachedData(request.symbol, part.timeframe, {
          start: from - history * part.barMs,
        });
        simulated ||= bars.simulated;
        series.push({ timeframe: part.timeframe, barMs: part.barMs, bars: bars.frame.columns() });
      }
      input = series;
    }
    const matrix = applyFeatureSpec(spec, input);
    const first = Math.max(0, matrix.rows - wanted);
    const width = matrix.columns.length;
    const x = matrix.matrix.subarray(first * width, matrix.rows * width);
    const rows = matrix.rows - first;
    const symbolIndex = embeddingRow(model, stored.symbol);
    const result = await predict(
      model,
      {
        x,
        rows,
        features: width,
        ...(symbolIndex === undefined ? {} : { symbols: new Int32Array(rows).fill(symbolIndex) }),
      },
      { runtime: request.runtime ?? 'onnx' },
    );
    return {
      model: formatModelName(model.key, model.version),
      symbol: stored.symbol,
      timeframe,
      timeframes: [timeframe, ...others.map((p) => p.timeframe)],
      loaded,
      simulated,
      runtime: result.runtime,
      predictions: result.predictions.map((row, i) => ({
        date: formatIsoUtc(matrix.times[first + i] as number),
        signal: row.label,
        class_index: row.index,
        probabilities: row.probabilities,
      })),
    };
  }

  /** Health of the training path. */
  healthCheck(): Promise<HealthStatus> {
    return this.adapter.healthCheck();
  }

  /**
   * Cancels running trainings and closes the trainer. The trainings end `cancelled` (their sessions
   * stopped) before the adapter closes, rather than failing on a closed connection.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /**
   * A stored version, loaded once: its ONNX Runtime session is opened on first use and reused by
   * every later prediction (a version's files never change once written).
   */
  private async loadedModel(ref: ModelRef): Promise<LoadedModel> {
    const version = ref.version === 'latest' ? await this.models.latestVersion(ref.key) : ref.version;
    if (version === undefined) return this.models.load(ref.key, 'latest'); // its NotFoundError
    const name = formatModelName(ref.key, version);
    let loaded = this.loadedModels.get(name);
    if (loaded === undefined) {
      loaded = this.models.load(ref.key, version);
      this.loadedModels.set(name, loaded);
      loaded.catch(() => this.loadedModels.delete(name));
    }
    return loaded;
  }

  private async shutDown(): Promise<void> {
    const running = [...this.running];
    for (const handle of running) handle.cancel('The training service is closing');
    await this.sessions?.close();
    const grace = new AbortController();
    await Promise.race([
      Promise.allSettled(running.map((handle) => handle.result())),
      sleep(CLOSE_GRACE_MS, grace.signal).catch(() => undefined),
    ]);
    grace.abort();
    const loaded = await Promise.allSettled(this.loadedModels.values());
    for (const model of loaded) if (model.status === 'fulfilled') await releasePredictor(model.value);
    this.loadedModels.clear();
    await this.adapter.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The base timeframe bars are predicted on: a multi-timeframe model's own base (asking for another
 * is refused, its features would not match), else what was asked.
 */
function predictionTimeframe(spec: FeatureSpec, asked: string, model: string): string {
  const base = spec.timeframes?.[0]?.timeframe;
  if (base === undefined) return asked;
  const all = spec.timeframes!.map((p) => p.timeframe);
  if (asked !== base && asked !== all.join('-')) {
    throw new ValidationError(
      `Model ${model} predicts on ${base} bars (it reads ${all.join(', ')}); do not name another timeframe`,
      { details: { field: 'timeframe', accepted: [base] } },
    );
  }
  return base;
}

/**
 * The embedding row of `symbol` for a model with a symbol embedding (undefined without one).
 * @throws ValidationError when the model was not trained on `symbol`: it has no embedding for it.
 */
function embeddingRow(model: LoadedModel, symbol: string): number | undefined {
  const embedding = model.weights.embedding;
  if (embedding === undefined) return undefined;
  const symbols = embedding.symbols ?? model.metadata.symbols ?? [];
  const row = symbols.indexOf(symbol);
  if (row < 0) {
    throw new ValidationError(
      `Model ${formatModelName(model.key, model.version)} embeds its symbols (${symbols.join(', ')}) and cannot predict ${symbol}`,
      { details: { field: 'symbol', accepted: symbols } },
    );
  }
  return row;
}

/** `list`, else `[one]`, else undefined (neither given). */
function listOf(list: readonly string[] | undefined, one: string | undefined): string[] | undefined {
  if (list !== undefined && list.length > 0) return [...list];
  return one === undefined ? undefined : [one];
}

/** The in-process trainer: worker threads, bars from the data service's store. */
export function createLocalTrainer(
  data: DataService,
  modelsDir: string,
  concurrency?: number,
): TrainingSessions {
  return new TrainingSessions({
    pool: new TrainingWorkerPool({ concurrency }),
    modelsDir,
    loadBars: async ({ symbol, timeframe, start, end }) => {
      const loaded = await data.loadCachedData(symbol, timeframe, { start, end });
      return { columns: loaded.frame.columns(), simulated: loaded.simulated };
    },
  });
}
