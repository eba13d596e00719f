import { type TrainingCheckpoint, serializeCheckpoint } from '@ktrdr/training';

/** The bytes of a checkpoint after `epoch` epochs (enough of one for the relay, which reads only its epoch). */
export function fakeCheckpoint(epoch: number, padding = 0): Buffer {
  return serializeCheckpoint({
    version: 1,
    epoch,
    weights: { w: new Float32Array(4 + padding) },
    optimizer: {},
    loop: {},
    history: [],
  } as unknown as TrainingCheckpoint);
}
