import { defineRoute, defineService, isoDateString, operationInfoSchema } from '@ktrdr/core';
import { z } from 'zod';
import { STRATEGY_NAME_PATTERN } from '../strategy/strategy-name';

const optionalDate = isoDateString.optional();

/** A stored model as listed. */
export const modelSummarySchema = z.object({
  /** `{strategy}/{symbol}_{timeframe}_v{N}`: what `show` and `predict` take. */
  name: z.string(),
  strategy: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  version: z.number(),
  latest: z.boolean(),
  created_at: z.string(),
  backend: z.string(),
  test_accuracy: z.number().nullable(),
  simulated: z.boolean(),
  directory: z.string(),
});

/** {@link modelSummarySchema} as a type. */
export type ModelSummary = z.infer<typeof modelSummarySchema>;

/** One prediction per bar. */
export const predictionSchema = z.object({
  date: z.string(),
  signal: z.enum(['BUY', 'HOLD', 'SELL']),
  class_index: z.number(),
  probabilities: z.object({ BUY: z.number(), HOLD: z.number(), SELL: z.number() }),
});

/** The answer of a prediction. */
export const predictionResultSchema = z.object({
  model: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  /** Every timeframe the model read, base first (a multi-timeframe model reads several). */
  timeframes: z.array(z.string()).optional(),
  /** Series loaded first (`load_missing`), as `SYMBOL timeframe`. */
  loaded: z.array(z.string()).optional(),
  simulated: z.boolean(),
  runtime: z.string(),
  predictions: z.array(predictionSchema),
});

/** {@link predictionResultSchema} as a type: per-bar signals of a model. */
export type BarPredictions = z.infer<typeof predictionResultSchema>;

/** A strategy's indicator values over the last stored bars, as columns. */
export const strategyIndicatorsSchema = z.object({
  strategy: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  simulated: z.boolean(),
  rows: z.number(),
  /** What each column beside `time` holds; `overlay` marks price-scaled ones, drawn over the candles. */
  outputs: z.array(
    z.object({
      column: z.string(),
      key: z.string(),
      indicator: z.string(),
      output: z.string(),
      overlay: z.boolean(),
    }),
  ),
  /** `time` (epoch ms UTC), then `{key}.{output}` per output; `null` during an indicator's warm-up. */
  columns: z.record(z.string(), z.array(z.number().nullable())),
});

/** {@link strategyIndicatorsSchema} as a type. */
export type StrategyIndicators = z.infer<typeof strategyIndicatorsSchema>;

/**
 * The training routes of the backend API (`/api/v1/...`): start a training as an operation, list
 * and show models, predict, and a strategy's indicators over stored bars.
 */
export const trainingApiContract = defineService('ktrdr API (training)', {
  start: defineRoute({
    method: 'POST',
    path: '/trainings/start',
    input: z.object({
      /** The strategy's YAML text, or the name of a strategy file in the server's strategies folder. */
      strategy_yaml: z.string().min(1).optional(),
      strategy_name: z.string().regex(STRATEGY_NAME_PATTERN).optional(),
      /** The file `strategy_yaml` was read from, as the client names it: problems are located in it. */
      strategy_file: z.string().min(1).max(4096).optional(),
      symbol: z.string().min(1).optional(),
      timeframe: z.string().min(1).optional(),
      /** Several symbols / timeframes (default: what the strategy declares). */
      symbols: z.array(z.string().min(1)).max(64).optional(),
      timeframes: z.array(z.string().min(1)).max(8).optional(),
      /** Load series that are not stored yet before training. */
      load_missing: z.boolean().optional(),
      start_date: optionalDate,
      end_date: optionalDate,
      epochs: z.number().int().positive().optional(),
      seed: z.number().int().optional(),
      /**
       * Epoch checkpoints under the server's models folder (`.checkpoints/<checkpoint_id>`), and
       * resuming from the latest one: what a queue worker passes (the operation id), so a job
       * handed on from a killed worker goes on from its last checkpoint.
       */
      checkpoint_configuration: z
        .object({
          checkpoint_id: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}$/),
          every_epochs: z.number().int().positive().optional(),
          resume: z.boolean().optional(),
        })
        .optional(),
    }),
    output: z.object({
      success: z.literal(true),
      operation_id: z.string(),
      status: z.string(),
      data: operationInfoSchema,
    }),
    description: 'Starts a training operation; answers with its id at once.',
  }),
  models: defineRoute({
    method: 'GET',
    path: '/models',
    input: z.object({}),
    output: z.object({
      success: z.literal(true),
      data: z.array(modelSummarySchema),
      /** Versions left out because their metadata is damaged; absent when none. */
      problems: z.array(z.object({ model: z.string(), file: z.string(), message: z.string() })).optional(),
    }),
  }),
  model: defineRoute({
    method: 'GET',
    path: '/models/:strategy/:model',
    input: z.object({ strategy: z.string().min(1), model: z.string().min(1) }),
    output: z.object({
      success: z.literal(true),
      data: modelSummarySchema.extend({
        metrics: z.record(z.string(), z.unknown()),
        features: z.array(z.string()),
        metadata: z.record(z.string(), z.unknown()),
      }),
    }),
    description: 'One model; `:model` is `{symbol}_{tf}_v{N}` or `{symbol}_{tf}` for the latest.',
  }),
  importModel: defineRoute({
    method: 'POST',
    path: '/models/import',
    // The shape only; importModelBundle checks names, checksums, size and contents.
    input: z.looseObject({
      format: z.string(),
      version: z.number(),
      key: z.looseObject({ strategy: z.string(), symbol: z.string(), timeframe: z.string() }),
      files: z.array(z.looseObject({ name: z.string(), data: z.string(), sha256: z.string() })).max(16),
    }),
    output: z.object({ success: z.literal(true), data: modelSummarySchema }),
    description:
      'Stores a model bundle (exportModelBundle) as the next version of its model: how a worker without the models folder hands a trained model back.',
  }),
  predict: defineRoute({
    method: 'POST',
    path: '/models/predict',
    idempotent: true,
    input: z.object({
      model_name: z.string().min(1),
      symbol: z.string().min(1),
      timeframe: z.string().min(1).optional(),
      /** Predict on the last `bars` bars (default 10). */
      bars: z.number().int().positive().max(100_000).default(10),
      runtime: z.enum(['onnx', 'fused', 'tfjs']).default('onnx'),
      /** Load the series the model needs that are not stored yet before predicting. */
      load_missing: z.boolean().optional(),
    }),
    output: z.object({ success: z.literal(true), data: predictionResultSchema }),
  }),
  indicators: defineRoute({
    method: 'GET',
    path: '/indicators/:symbol/:timeframe',
    input: z.object({
      symbol: z.string().min(1).max(40),
      timeframe: z.string().min(1).max(8),
      /** A strategy file's name in the server's strategies folder, without `.yaml`, as `strategy_name` is. */
      strategy: z.string().regex(STRATEGY_NAME_PATTERN, 'a strategy name: letters, digits, . _ -'),
      /** The last `limit` bars (default 2000). */
      limit: z.coerce.number().int().min(1).max(100_000).default(2000),
    }),
    output: z.object({ success: z.literal(true), data: strategyIndicatorsSchema }),
    description:
      "A strategy's indicator values over the last stored bars, as columns, computed past the indicators' warm-up.",
  }),
});

/** The training API contract's type. */
export type TrainingApiContract = typeof trainingApiContract;
