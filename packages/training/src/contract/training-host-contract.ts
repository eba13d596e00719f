import { defineRoute, defineService, isoDateString } from '@ktrdr/core';
import { z } from 'zod';

/**
 * Session statuses, as the Python training host service reported them: `pending` (bars loading, or
 * waiting for a free worker), `running` (training), then `completed`, `failed` or `stopped`.
 */
export const TRAINING_SESSION_STATUSES = ['pending', 'running', 'completed', 'failed', 'stopped'] as const;

/** One of {@link TRAINING_SESSION_STATUSES}. */
export type TrainingSessionStatus = (typeof TRAINING_SESSION_STATUSES)[number];

/** Progress of a session (the Python host's `progress` object). */
export const trainingProgressSchema = z.object({
  epoch: z.number(),
  total_epochs: z.number(),
  batch: z.number(),
  total_batches: z.number(),
  progress_percent: z.number(),
  message: z.string(),
});

/** {@link trainingProgressSchema} as a type. */
export type TrainingProgress = z.infer<typeof trainingProgressSchema>;

/** The model a completed session saved. */
export const savedModelSchema = z.object({
  name: z.string(),
  version: z.number(),
  path: z.string(),
  onnx_path: z.string().nullable(),
});

/** A session as `status` and `sessions` report it. */
export const trainingSessionSchema = z.object({
  session_id: z.string(),
  status: z.enum(TRAINING_SESSION_STATUSES),
  strategy: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  progress: trainingProgressSchema,
  /** Per-epoch history and, when done, test metrics. */
  metrics: z.record(z.string(), z.unknown()),
  /** Backend and device the session trains on. */
  gpu_usage: z.object({ backend: z.string(), gpu: z.boolean() }).nullable(),
  error: z.string().nullable(),
  error_code: z.string().nullable(),
  model: savedModelSchema.nullable(),
  simulated: z.boolean(),
});

/** {@link trainingSessionSchema} as a type. */
export type TrainingSessionInfo = z.infer<typeof trainingSessionSchema>;

const sessionId = z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'letters, digits, _ . - only');

/** Body of `POST /training/start`, in the Python host service's four sections. */
export const startTrainingInputSchema = z.object({
  session_id: sessionId.optional(),
  /** The strategy: its YAML text (the model section and everything else come from it). */
  model_configuration: z.looseObject({
    strategy_yaml: z.string().min(1),
    strategy_name: z.string().optional(),
  }),
  /** Overrides of the strategy's training settings. */
  training_configuration: z
    .looseObject({
      epochs: z.number().int().positive().optional(),
      batch_size: z.number().int().positive().optional(),
      learning_rate: z.number().positive().optional(),
      seed: z.number().int().optional(),
    })
    .default({}),
  data_configuration: z.looseObject({
    symbols: z.array(z.string().min(1)).min(1),
    timeframes: z.array(z.string().min(1)).min(1),
    start_date: isoDateString.optional(),
    end_date: isoDateString.optional(),
  }),
  gpu_configuration: z.looseObject({ backend: z.string().optional() }).optional(),
  /**
   * Epoch checkpoints under the host's models folder (`.checkpoints/<checkpoint_id>`): taken every
   * `every_epochs` (default 1); with `resume`, the session continues after the latest one there
   * (a run a killed host started), or starts from epoch 1 when there is none.
   */
  checkpoint_configuration: z
    .object({
      checkpoint_id: sessionId,
      every_epochs: z.number().int().positive().optional(),
      resume: z.boolean().optional(),
    })
    .optional(),
});

/** {@link startTrainingInputSchema}'s input type. */
export type StartTrainingInput = z.input<typeof startTrainingInputSchema>;

/**
 * The training host service's routes (port 8002 by default), as the Python KTRDR training host
 * service exposed them, with real HTTP status codes for failures.
 */
export const trainingHostContract = defineService('Training host service', {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    input: z.object({}),
    output: z.object({
      healthy: z.boolean(),
      service: z.string(),
      timestamp: z.string(),
      backend: z.string(),
      active_sessions: z.number(),
      max_concurrent_sessions: z.number(),
    }),
  }),
  start: defineRoute({
    method: 'POST',
    path: '/training/start',
    input: startTrainingInputSchema,
    output: z.object({
      success: z.literal(true),
      session_id: z.string(),
      status: z.literal('started'),
      message: z.string(),
    }),
    description: 'Starts a training session and answers at once with its id.',
  }),
  stop: defineRoute({
    method: 'POST',
    path: '/training/stop',
    idempotent: true,
    input: z.object({ session_id: sessionId }),
    output: z.object({
      success: z.literal(true),
      session_id: z.string(),
      status: z.enum(TRAINING_SESSION_STATUSES),
    }),
    description: 'Stops a session at its next batch.',
  }),
  status: defineRoute({
    method: 'GET',
    path: '/training/status/:session_id',
    input: z.object({ session_id: sessionId }),
    output: trainingSessionSchema,
  }),
  follow: defineRoute({
    method: 'GET',
    path: '/training/follow/:session_id',
    input: z.object({ session_id: sessionId }),
    output: trainingSessionSchema,
    description:
      'Follows a session to its end: each change as a progress update (when asked for progress), then the final session.',
  }),
  sessions: defineRoute({
    method: 'GET',
    path: '/training/sessions',
    input: z.object({}),
    output: z.object({ sessions: z.array(trainingSessionSchema) }),
  }),
});

/** The training host service contract's type. */
export type TrainingHostContract = typeof trainingHostContract;
