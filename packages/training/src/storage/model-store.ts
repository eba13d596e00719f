import { randomBytes } from 'node:crypto';
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, ValidationError } from '@ktrdr/core';
import { selectTfBackend } from '../backend/tf-backend';
import { CLASS_LABELS } from '../model/class-labels';
import type { MlpWeights } from '../model/mlp-weights';
import { buildTfjsModel } from '../model/tfjs-mlp';
import { exportMlpToOnnx, ONNX_OPSET } from '../onnx/onnx-export';
import type { TrainingResult } from '../trainer/training-types';
import { bySymbolJson, classificationJson, epochMetricsJson } from './metrics-json';
import { fileProblem, ModelCorruptError } from './model-corrupt-error';
import {
  insideRoot,
  latestPointerName,
  type ModelKey,
  parseVersion,
  validateModelKey,
  validateModelKeyPart,
  versionDirName,
} from './model-names';
import { fileSystemHandler, MODEL_JSON, WEIGHTS_BIN } from './tfjs-file-handler';
import { readMlpWeights, SYMBOL_EMBEDDING_JSON } from './tfjs-weights-reader';

/** File names inside a version directory. */
export const MODEL_FILES = {
  modelJson: MODEL_JSON,
  weights: WEIGHTS_BIN,
  onnx: 'model.onnx',
  config: 'config.json',
  metrics: 'metrics.json',
  features: 'features.json',
  /** Written last: a version directory without it is incomplete (being written, or a failed save). */
  metadata: 'metadata.json',
} as const;

/** Environment variable naming the models folder (default `./models`). */
export const MODELS_DIR_ENV = 'KTRDR_MODELS_DIR';

/** What `features.json` records: the feature columns in order, plus anything the pipeline needs (scaler...). */
export interface FeatureInfo {
  names?: string[];
  [extra: string]: unknown;
}

/** What to save: a training result and the context it came from. */
export interface SaveModelInput extends ModelKey {
  result: TrainingResult;
  features?: FeatureInfo;
  /** The strategy configuration (YAML-derived) the model was trained for; stored in `config.json`. */
  strategyConfig?: unknown;
  /** Time range of the bars trained on (ISO strings). */
  dataRange?: { start: string; end: string; bars?: number };
  /** True when the bars were simulated (ib-sim), so nobody mistakes the model for a real one. */
  simulated?: boolean;
  /** Extra metadata fields (snake_case, as the reference system's files). */
  metadata?: Record<string, unknown>;
  /**
   * What the model was trained on, kept in `metadata.json`; `symbols` also names the groups of
   * `result.testByGroup` (per-symbol test metrics in `metrics.json`).
   */
  trainedOn?: TrainedOn;
}

/** The symbols and timeframes a model was trained on, and the strategy's warnings. */
export interface TrainedOn {
  symbols: string[];
  /** Base timeframe first. */
  timeframes: string[];
  base_timeframe: string;
  /** The strategy's warnings (keys Python KTRDR only warns about), so nothing is dropped unseen. */
  warnings: string[];
}

/** `metadata.json`. */
export interface ModelMetadata {
  strategy: string;
  symbol: string;
  timeframe: string;
  version: number;
  created_at: string;
  model_type: 'mlp';
  format: 'tfjs-layers';
  onnx_file: string;
  onnx_opset: number;
  /** Backend that trained the model (`cpu-fused`, `tensorflow-gpu`, `tensorflow`, `wasm`, `cpu`). */
  backend: string;
  engine: string;
  engine_details: Record<string, string>;
  feature_count: number;
  classes: string[];
  data_range: { start: string; end: string; bars?: number } | null;
  simulated: boolean;
  training: {
    epochs_run: number;
    best_epoch: number;
    stopped_early: boolean;
    duration_ms: number;
    samples_per_second: number;
  };
  test_accuracy: number | null;
  /** Every symbol trained on (absent in models saved before multi-symbol training). */
  symbols?: string[];
  /** Every timeframe read, base first (absent in older models). */
  timeframes?: string[];
  base_timeframe?: string;
  /** The strategy's warnings. */
  warnings?: string[];
  [extra: string]: unknown;
}

/** One stored version. */
export interface StoredModelInfo {
  key: ModelKey;
  version: number;
  directory: string;
  metadata: ModelMetadata;
  /** Whether the `_latest` pointer designates this version. */
  latest: boolean;
}

/** A model read back from disk, ready for `predict`. */
export interface LoadedModel extends StoredModelInfo {
  weights: MlpWeights;
  /** Feature column names in input order (empty when none were recorded). */
  featureNames: string[];
  /** `features.json` as stored. */
  features: Record<string, unknown>;
  /** `config.json` as stored. */
  config: Record<string, unknown>;
  /** `metrics.json` as stored. */
  metrics: Record<string, unknown>;
}

/** Options of {@link ModelStore}. */
export interface ModelStoreOptions {
  /** The models folder (default `KTRDR_MODELS_DIR`, else `./models`). */
  root?: string;
}

/**
 * Models on disk in the reference layout: `{root}/{strategy}/{symbol}_{tf}_v{N}/` holding the TF.js
 * model (`model.json` + `weights.bin`), `model.onnx`, `config.json`, `metrics.json`,
 * `features.json` and `metadata.json`, plus a `{symbol}_{tf}_latest` pointer (a relative symlink,
 * or a text file naming the directory where symlinks are unavailable).
 *
 * Version numbers are claimed with an exclusive `mkdir`, so concurrent saves (threads or
 * processes) never share one; `metadata.json` is written last and marks a version complete.
 */
export class ModelStore {
  readonly root: string;

  constructor(options: ModelStoreOptions = {}) {
    this.root = path.resolve(options.root ?? process.env[MODELS_DIR_ENV] ?? 'models');
  }

  /** Saves a trained model as the next version and points `_latest` at the newest complete version. */
  async save(input: SaveModelInput): Promise<StoredModelInfo> {
    const key: ModelKey = { strategy: input.strategy, symbol: input.symbol, timeframe: input.timeframe };
    validateModelKey(key);
    const { result } = input;
    const names = input.features?.names;
    if (names !== undefined && names.length !== result.features) {
      throw new ValidationError(
        `features.names has ${names.length} names but the model takes ${result.features} features`,
        {
          details: { field: 'features.names' },
        },
      );
    }
    const strategyDir = insideRoot(this.root, key.strategy);
    await mkdir(strategyDir, { recursive: true });
    const { version, directory } = await this.claimVersion(key, strategyDir);
    try {
      const { tf } = await selectTfBackend();
      const model = buildTfjsModel(tf, result.weights);
      try {
        await model.save(fileSystemHandler(tf, directory));
      } finally {
        model.dispose();
      }
      const onnx = exportMlpToOnnx(withSymbols(result.weights, input.trainedOn?.symbols), {
        metadata: {
          strategy: key.strategy,
          symbol: key.symbol,
          timeframe: key.timeframe,
          version: String(version),
        },
      });
      await writeFile(path.join(directory, MODEL_FILES.onnx), onnx);
      const embedding = result.weights.embedding;
      if (embedding !== undefined) {
        // TF.js layers files hold the dense network; the table (and whose symbols it embeds) lives
        // in one more file, only in the versions that have an embedding.
        await writeJson(directory, SYMBOL_EMBEDDING_JSON, {
          dim: embedding.dim,
          symbols: input.trainedOn?.symbols ?? embedding.symbols ?? null,
          table: Array.from(embedding.table),
        });
      }
      await writeJson(directory, MODEL_FILES.config, {
        strategy_config: input.strategyConfig ?? null,
        model_config: result.config,
      });
      const { names: featureNames, ...featureExtras } = input.features ?? {};
      await writeJson(directory, MODEL_FILES.features, {
        feature_names: featureNames ?? [],
        feature_count: result.features,
        ...featureExtras,
      });
      await writeJson(directory, MODEL_FILES.metrics, metricsJson(result, input.trainedOn?.symbols));
      const metadata = metadataJson(input, key, version);
      await writeJson(directory, MODEL_FILES.metadata, metadata);
      await this.updateLatest(key, strategyDir);
      return { key, version, directory, metadata, latest: (await this.latestVersion(key)) === version };
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Stores ready-made version files (an imported model bundle) as the next version of `key`:
   * `metadata.json` last, with its `version` set to the new number, then checks the version loads
   * before `_latest` moves to it. On any failure the version is removed again.
   * @throws ValidationError when the files do not load as a model.
   */
  async saveFiles(key: ModelKey, files: ReadonlyMap<string, Uint8Array>): Promise<StoredModelInfo> {
    validateModelKey(key);
    let parsed: ModelMetadata;
    try {
      parsed = JSON.parse(
        Buffer.from(files.get(MODEL_FILES.metadata) ?? '').toString('utf8'),
      ) as ModelMetadata;
    } catch (cause) {
      throw new ValidationError(`A model needs a valid ${MODEL_FILES.metadata}`, {
        details: { field: 'files' },
        cause,
      });
    }
    const strategyDir = insideRoot(this.root, key.strategy);
    const created = await mkdir(strategyDir, { recursive: true });
    const { version, directory } = await this.claimVersion(key, strategyDir);
    try {
      for (const [name, data] of files) {
        if (name !== MODEL_FILES.metadata) await writeFile(insideRoot(directory, name), data);
      }
      const metadata = { ...parsed, version };
      await writeJson(directory, MODEL_FILES.metadata, metadata);
      try {
        await this.load(key, version);
      } catch (cause) {
        throw new ValidationError(
          `The model files of ${describe(key)} do not load: ${(cause as Error).message}`,
          {
            details: { field: 'files' },
            cause,
          },
        );
      }
      await this.updateLatest(key, strategyDir);
      return { key, version, directory, metadata, latest: (await this.latestVersion(key)) === version };
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      // Leave no trace: remove the strategy folder this call created, if nothing else landed in it.
      if (created !== undefined) await rmdir(strategyDir).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Loads a version (default: the one `_latest` points to, else the highest complete version).
   * @throws NotFoundError when there is no such model or version.
   */
  async load(key: ModelKey, version: number | 'latest' = 'latest'): Promise<LoadedModel> {
    validateModelKey(key);
    const resolved = version === 'latest' ? await this.latestVersion(key) : version;
    if (resolved === undefined) {
      throw new NotFoundError(`No saved model for ${describe(key)} under ${this.root}`, {
        details: { ...key },
      });
    }
    if (!Number.isInteger(resolved) || resolved < 1) {
      throw new ValidationError(`Model version must be a positive integer or "latest" (got ${resolved})`, {
        details: { field: 'version' },
      });
    }
    const model = `${key.strategy}/${versionDirName(key, resolved)}`;
    const directory = insideRoot(this.root, key.strategy, versionDirName(key, resolved));
    const metadata = await readModelJson<ModelMetadata>(directory, model, MODEL_FILES.metadata).catch(
      (error: unknown) => {
        // No metadata.json: no such version, or one still being saved (it is written last).
        if (isMissing(error)) {
          throw new NotFoundError(
            `Model ${describe(key)} version ${resolved} does not exist (or is incomplete) in ${this.root}`,
            {
              details: { ...key, version: resolved },
            },
          );
        }
        throw error;
      },
    );
    const [weights, features, config, metrics, latest] = await Promise.all([
      readMlpWeights(directory).catch((error: unknown) => {
        // A torn model.json; other failures (a missing weights file) keep their own message.
        throw error instanceof SyntaxError
          ? new ModelCorruptError(model, `${model}/${MODEL_JSON}`, fileProblem(error), error)
          : error;
      }),
      readModelJson<Record<string, unknown>>(directory, model, MODEL_FILES.features),
      readModelJson<Record<string, unknown>>(directory, model, MODEL_FILES.config),
      readModelJson<Record<string, unknown>>(directory, model, MODEL_FILES.metrics),
      this.latestVersion(key),
    ]);
    const featureNames = Array.isArray(features['feature_names'])
      ? (features['feature_names'] as string[])
      : [];
    return {
      key,
      version: resolved,
      directory,
      metadata,
      latest: latest === resolved,
      weights,
      featureNames,
      features,
      config,
      metrics,
    };
  }

  /**
   * Complete versions of every model, optionally filtered, sorted by strategy, symbol, timeframe,
   * version. A version whose `metadata.json` is damaged is left out; {@link ModelStore.survey}
   * also says which.
   */
  async list(filter: Partial<ModelKey> = {}): Promise<StoredModelInfo[]> {
    return (await this.survey(filter)).models;
  }

  /**
   * {@link ModelStore.list}, and the versions left out because their `metadata.json` cannot be read
   * (one {@link ModelCorruptError} each, in folder order), so a listing reports them instead of
   * failing whole or dropping them unseen. A version folder without `metadata.json` is a save in
   * progress (it is written last), not damage.
   */
  async survey(
    filter: Partial<ModelKey> = {},
  ): Promise<{ models: StoredModelInfo[]; corrupt: ModelCorruptError[] }> {
    if (filter.strategy !== undefined) validateModelKeyPart('strategy', filter.strategy);
    const strategies =
      filter.strategy !== undefined ? [filter.strategy] : (await listDirs(this.root)).filter(isValidStrategy);
    const out: StoredModelInfo[] = [];
    const corrupt: ModelCorruptError[] = [];
    for (const strategy of strategies) {
      const strategyDir = insideRoot(this.root, strategy);
      for (const name of await listDirs(strategyDir)) {
        const metadata = await readModelJson<ModelMetadata>(
          path.join(strategyDir, name),
          `${strategy}/${name}`,
          MODEL_FILES.metadata,
        ).catch((error: unknown) => {
          if (error instanceof ModelCorruptError && !isMissing(error)) corrupt.push(error);
          return null;
        });
        if (metadata === null || metadata.strategy !== strategy) continue;
        const key: ModelKey = { strategy, symbol: metadata.symbol, timeframe: metadata.timeframe };
        if (filter.symbol !== undefined && key.symbol !== filter.symbol) continue;
        if (filter.timeframe !== undefined && key.timeframe !== filter.timeframe) continue;
        if (parseVersion(key, name) !== metadata.version) continue;
        out.push({
          key,
          version: metadata.version,
          directory: path.join(strategyDir, name),
          metadata,
          latest: false,
        });
      }
    }
    const latestByModel = new Map<string, number | undefined>();
    for (const info of out) {
      const id = describe(info.key);
      if (!latestByModel.has(id)) latestByModel.set(id, await this.latestVersion(info.key));
      info.latest = latestByModel.get(id) === info.version;
    }
    const models = out.sort(
      (a, b) =>
        a.key.strategy.localeCompare(b.key.strategy) ||
        a.key.symbol.localeCompare(b.key.symbol) ||
        a.key.timeframe.localeCompare(b.key.timeframe) ||
        a.version - b.version,
    );
    return { models, corrupt };
  }

  /** Complete version numbers of one model, ascending. */
  async versions(key: ModelKey): Promise<number[]> {
    validateModelKey(key);
    const strategyDir = insideRoot(this.root, key.strategy);
    const versions: number[] = [];
    for (const name of await listDirs(strategyDir)) {
      const version = parseVersion(key, name);
      if (version === undefined) continue;
      const complete = await lstat(path.join(strategyDir, name, MODEL_FILES.metadata)).then(
        () => true,
        () => false,
      );
      if (complete) versions.push(version);
    }
    return versions.sort((a, b) => a - b);
  }

  /** The version `_latest` designates; falls back to the highest complete version if the pointer is missing or stale. */
  async latestVersion(key: ModelKey): Promise<number | undefined> {
    validateModelKey(key);
    const strategyDir = insideRoot(this.root, key.strategy);
    const pointer = path.join(strategyDir, latestPointerName(key));
    let target: string | undefined;
    try {
      const stats = await lstat(pointer);
      target = stats.isSymbolicLink() ? await readlink(pointer) : (await readFile(pointer, 'utf8')).trim();
    } catch {
      target = undefined;
    }
    // Only a sibling version directory is honoured: a tampered pointer cannot lead elsewhere.
    const version = target === undefined ? undefined : parseVersion(key, path.basename(target));
    if (version !== undefined && path.basename(target!) === target) {
      const complete = await lstat(path.join(strategyDir, target!, MODEL_FILES.metadata)).then(
        () => true,
        () => false,
      );
      if (complete) return version;
    }
    const versions = await this.versions(key);
    return versions[versions.length - 1];
  }

  /** Claims `v{max+1}` with an exclusive mkdir; on a race, the loser takes the next number. */
  private async claimVersion(
    key: ModelKey,
    strategyDir: string,
  ): Promise<{ version: number; directory: string }> {
    const taken = (await listDirs(strategyDir)).map((name) => parseVersion(key, name) ?? 0);
    let version = Math.max(0, ...taken) + 1;
    for (let attempt = 0; attempt < 1000; attempt++, version++) {
      const directory = insideRoot(this.root, key.strategy, versionDirName(key, version));
      try {
        await mkdir(directory);
        return { version, directory };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`Could not claim a version directory for ${describe(key)} after 1000 attempts`);
  }

  /**
   * Points `_latest` at the highest complete version. Each saver re-reads the versions, so saves
   * finishing out of order still converge on the newest; the swap is a rename, so readers never
   * see a missing pointer.
   */
  private async updateLatest(key: ModelKey, strategyDir: string): Promise<void> {
    const versions = await this.versions(key);
    const newest = versions[versions.length - 1];
    if (newest === undefined) return;
    const target = versionDirName(key, newest);
    const pointer = path.join(strategyDir, latestPointerName(key));
    const temp = path.join(
      strategyDir,
      `.${latestPointerName(key)}.${process.pid}.${randomBytes(4).toString('hex')}`,
    );
    try {
      await symlink(target, temp, 'dir');
    } catch {
      // No symlinks here (Windows without the privilege, some network filesystems): a text pointer.
      await writeFile(temp, `${target}\n`);
    }
    try {
      await rename(temp, pointer);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/** Folders under the root that cannot be strategies (`.git`, `tmp files`) are skipped when listing. */
function isValidStrategy(name: string): boolean {
  try {
    validateModelKeyPart('strategy', name);
    return true;
  } catch {
    return false;
  }
}

function describe(key: ModelKey): string {
  return `${key.strategy}/${key.symbol}_${key.timeframe}`;
}

async function listDirs(directory: string): Promise<string[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    // Dot folders are not models (`.checkpoints` holds training checkpoints).
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function writeJson(directory: string, file: string, value: unknown): Promise<void> {
  await writeFile(path.join(directory, file), `${JSON.stringify(value, null, 2)}\n`);
}

/** True for the {@link ModelCorruptError} of a file that does not exist. */
function isMissing(error: unknown): boolean {
  return ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * Reads `file` of the version folder `directory` (`model` relative to the models folder).
 * @throws ModelCorruptError when it is missing, unreadable or not a JSON object; its `cause` is the
 * original error (ENOENT for a missing file).
 */
async function readModelJson<T>(directory: string, model: string, file: string): Promise<T> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path.join(directory, file), 'utf8'));
  } catch (error) {
    throw new ModelCorruptError(model, `${model}/${file}`, fileProblem(error), error);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelCorruptError(model, `${model}/${file}`, 'does not hold a JSON object');
  }
  return value as T;
}

/** `metrics.json`, in the reference system's snake_case. */
/** `weights` with its embedding's symbol names set, when it has an embedding. */
function withSymbols(weights: MlpWeights, symbols: string[] | undefined): MlpWeights {
  if (weights.embedding === undefined || symbols === undefined) return weights;
  return { ...weights, embedding: { ...weights.embedding, symbols } };
}

function metricsJson(
  result: TrainingResult,
  symbols: readonly string[] | undefined,
): Record<string, unknown> {
  const bySymbol = bySymbolJson(symbols, result.testByGroup);
  return {
    history: result.history.map(epochMetricsJson),
    validation: classificationJson(result.validation),
    test: classificationJson(result.test),
    ...(bySymbol === undefined ? {} : { test_by_symbol: bySymbol }),
    best_epoch: result.bestEpoch,
    stopped_early: result.stoppedEarly,
    epochs_run: result.epochsRun,
  };
}

function metadataJson(input: SaveModelInput, key: ModelKey, version: number): ModelMetadata {
  const { result } = input;
  return {
    ...input.metadata,
    strategy: key.strategy,
    symbol: key.symbol,
    timeframe: key.timeframe,
    version,
    created_at: new Date().toISOString(),
    model_type: 'mlp',
    format: 'tfjs-layers',
    onnx_file: MODEL_FILES.onnx,
    onnx_opset: ONNX_OPSET,
    backend: result.backend,
    engine: result.engine,
    engine_details: result.details,
    feature_count: result.features,
    classes: [...CLASS_LABELS],
    data_range: input.dataRange ?? null,
    simulated: input.simulated ?? false,
    training: {
      epochs_run: result.epochsRun,
      best_epoch: result.bestEpoch,
      stopped_early: result.stoppedEarly,
      duration_ms: result.durationMs,
      samples_per_second: result.samplesPerSecond,
    },
    test_accuracy: result.test?.accuracy ?? null,
    ...input.trainedOn,
  };
}
