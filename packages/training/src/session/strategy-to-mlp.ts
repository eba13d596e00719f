import { ValidationError } from '@ktrdr/core';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { ACTIVATIONS, type MlpConfig } from '../model/mlp-config';
import type { StrategyProblem } from '../strategy/problems';
import type { StrategyConfig } from '../strategy/types';

/** Overrides a caller may apply on top of the strategy's `model.training` section. */
export interface TrainingOverrides {
  epochs?: number;
  batch_size?: number;
  learning_rate?: number;
  seed?: number;
}

/** The YAML a strategy was parsed from, so refusals can point at the offending line. */
export interface StrategySource {
  yaml: string;
  fileName: string;
}

/**
 * Maps a strategy's `model` section onto the trainer's configuration. Settings the trainer cannot
 * honour are refused with the field named (and, given the `source`, its file and line, as
 * `parseStrategy` reports problems), never silently dropped.
 */
export function mlpConfigFromStrategy(
  strategy: StrategyConfig,
  overrides: TrainingOverrides = {},
  source?: StrategySource,
  /** Symbols trained on: the rows of a symbol embedding's table (default 1). */
  symbols = 1,
): MlpConfig {
  const { architecture, training } = strategy.model;
  if (!(ACTIVATIONS as readonly string[]).includes(architecture.activation)) {
    refuse(
      source,
      'model.architecture.activation',
      `'${architecture.activation}' is not supported by the trainer: use one of ${ACTIVATIONS.join(', ')}`,
    );
  }
  const schedule = training.lr_scheduler;
  if (schedule?.type === 'reduce_on_plateau') {
    refuse(
      source,
      'model.training.lr_scheduler.type',
      'reduce_on_plateau is not supported: use step or exponential',
    );
  }
  const config: MlpConfig = {
    hiddenLayers: [...architecture.hidden_layers],
    activation: architecture.activation as MlpConfig['activation'],
    dropout: architecture.dropout,
    learningRate: overrides.learning_rate ?? training.learning_rate,
    batchSize: overrides.batch_size ?? training.batch_size,
    epochs: overrides.epochs ?? training.epochs,
    optimizer: training.optimizer,
    ...(training.weight_decay > 0 ? { weightDecay: training.weight_decay } : {}),
    seed: overrides.seed ?? 42,
  };
  const embeddingDim = strategy.model.symbol_embedding_dim ?? 0;
  if (embeddingDim > 0) config.symbolEmbedding = { dim: embeddingDim, symbols };
  if (training.early_stopping.enabled) {
    config.earlyStopping = {
      patience: training.early_stopping.patience,
      minDelta: training.early_stopping.min_delta,
      monitor: training.early_stopping.monitor,
    };
  }
  if (schedule?.type === 'step')
    config.lrSchedule = { type: 'step', stepSize: schedule.step_size, gamma: schedule.gamma };
  if (schedule?.type === 'exponential') config.lrSchedule = { type: 'exponential', gamma: schedule.gamma };
  return config;
}

/** Throws the refusal of `field`, located in `source` when the field (or its nearest parent) is in it. */
function refuse(source: StrategySource | undefined, field: string, message: string): never {
  const at = source === undefined ? undefined : locate(source.yaml, field.split('.'));
  if (source === undefined || at === undefined) {
    throw new ValidationError(`${field} ${message}`, { details: { field } });
  }
  const problem: StrategyProblem = { field, line: at.line, column: at.col, message };
  throw new ValidationError(
    `Invalid strategy ${source.fileName} (1 problem):\n  ${source.fileName}:${at.line}:${at.col} ${field}: ${message}`,
    { details: { field, file: source.fileName, problems: [problem] } },
  );
}

/** Line and column of the node at `path`, or of its nearest ancestor present in the YAML. */
function locate(yaml: string, path: string[]): { line: number; col: number } | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(yaml, { lineCounter });
  for (let depth = path.length; depth > 0; depth--) {
    const node: unknown = document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      // A scalar's range starts at its value; the key is what a reader looks for, on the same line.
      return lineCounter.linePos(node.range[0]);
    }
  }
  return undefined;
}
