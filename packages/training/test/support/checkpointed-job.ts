import type { MlpConfig } from '../../src/model/mlp-config';
import type { TrainingJob } from '../../src/worker/worker-protocol';
import { syntheticSplit } from './synthetic-dataset';

/**
 * A training job long enough (many small epochs) for a process to be killed in the middle of it,
 * checkpointing into `dir`; the same for every caller, so runs can be compared bit for bit.
 */
export function checkpointedJob(dir: string, resume: boolean): TrainingJob {
  const config: MlpConfig = {
    hiddenLayers: [16, 8],
    activation: 'relu',
    dropout: 0.1,
    learningRate: 0.005,
    batchSize: 32,
    epochs: 120,
    optimizer: 'adam',
    seed: 5,
    earlyStopping: { monitor: 'val_loss', patience: 1000, minDelta: 0 },
  };
  return {
    data: { train: syntheticSplit(3000, 8, 1), validation: syntheticSplit(300, 8, 2) },
    config,
    options: { engine: 'cpu-fused' },
    checkpoint: { dir, every: 1, resume },
  };
}
