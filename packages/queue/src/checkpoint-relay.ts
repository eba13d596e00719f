import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { CHECKPOINT_FILE, checkpointDir, deserializeCheckpoint } from '@ktrdr/training';
import { checkpointKey } from './queue-names';

/** Largest checkpoint relayed through Redis by default: 8 MiB (a small MLP's is tens to hundreds of KB). */
export const DEFAULT_CHECKPOINT_MAX_BYTES = 8 * 1024 * 1024;

/** Options of {@link CheckpointRelay}. */
export interface CheckpointRelayOptions {
  /** This worker's models folder: its trainings write `.checkpoints/<operation id>/` there. */
  modelsDir: string;
  /** Larger checkpoints stay on this worker only (default {@link DEFAULT_CHECKPOINT_MAX_BYTES}). */
  maxBytes?: number;
  /** How often a running training's checkpoint file is looked at, ms (default 1 s). */
  pollMs?: number;
  /** How long Redis keeps a checkpoint nobody removed (its worker died for good), s (default 7 days). */
  ttlSeconds?: number;
  /** A checkpoint that could not be relayed (too large, unreadable): said once per job. */
  onWarning?: (message: string) => void;
}

/**
 * Carries a training job's epoch checkpoints between workers that share no models folder, through
 * Redis: while the job runs, each new `checkpoint.json` its training writes is copied to the key
 * `ktrdr:checkpoint:<operation id>` (up to `maxBytes`); a worker that takes the job over after its
 * first worker died writes that copy into its own models folder before the training starts, which
 * then resumes from it. The key goes when the job ends. A copy is at most one poll behind the file,
 * so a resumed run repeats at most the epochs since the last checkpoint that reached Redis.
 */
export class CheckpointRelay {
  private readonly maxBytes: number;
  private readonly pollMs: number;
  private readonly ttlSeconds: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: CheckpointRelayOptions,
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_CHECKPOINT_MAX_BYTES;
    this.pollMs = options.pollMs ?? 1000;
    this.ttlSeconds = options.ttlSeconds ?? 7 * 24 * 3600;
  }

  /**
   * Writes the checkpoint Redis holds for job `id` into this worker's models folder, unless the one
   * already there is as recent. Resolves with the epoch it restored, or undefined.
   */
  async restore(id: string): Promise<number | undefined> {
    const [epochText, data] = await this.redis.hmgetBuffer(checkpointKey(id), 'epoch', 'data');
    if (epochText == null || data == null) return undefined;
    const epoch = Number(epochText.toString());
    const file = this.fileOf(id);
    const local = await readFile(file).then(
      (bytes) => deserializeCheckpoint(bytes).epoch,
      () => -1,
    );
    if (local >= epoch) return undefined;
    await mkdir(path.dirname(file), { recursive: true });
    // Beside the target, then renamed over it: the training never reads half a checkpoint.
    const temp = `${file}.relay-${process.pid}.tmp`;
    try {
      await writeFile(temp, data);
      await rename(temp, file);
    } finally {
      await rm(temp, { force: true });
    }
    return epoch;
  }

  /**
   * Starts copying job `id`'s new checkpoints to Redis; the function it returns stops. (A job stops
   * being followed when it ends, and then its checkpoint is no longer needed: only a worker that
   * dies mid-job leaves one behind, which is the case this is for.)
   */
  follow(id: string): () => Promise<void> {
    const file = this.fileOf(id);
    let seen = '';
    let warned = false;
    let running: Promise<void> = Promise.resolve();
    const copy = async () => {
      const info = await stat(file).catch(() => undefined);
      const version = info === undefined ? '' : `${info.mtimeMs}:${info.size}`;
      if (info === undefined || version === seen) return;
      seen = version;
      const warn = (message: string) => {
        if (!warned) this.options.onWarning?.(message);
        warned = true;
      };
      if (info.size > this.maxBytes) {
        warn(
          `checkpoint of ${id} is ${info.size} bytes, over the ${this.maxBytes} relayed through Redis: ` +
            'only a worker sharing this models folder can resume it',
        );
        return;
      }
      try {
        const data = await readFile(file);
        const { epoch } = deserializeCheckpoint(data);
        await this.redis
          .multi()
          .hset(checkpointKey(id), 'epoch', String(epoch), 'data', data)
          .expire(checkpointKey(id), this.ttlSeconds)
          .exec();
      } catch (error) {
        warn(`checkpoint of ${id} not relayed: ${(error as Error).message}`);
      }
    };
    const tick = () => {
      running = running.then(copy, copy);
    };
    const timer = setInterval(tick, this.pollMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running.catch(() => undefined);
    };
  }

  /** Forgets job `id`'s checkpoint in Redis (the job ended: no worker will resume it). */
  async discard(id: string): Promise<void> {
    await this.redis.del(checkpointKey(id));
  }

  private fileOf(id: string): string {
    return path.join(checkpointDir(this.options.modelsDir, id), CHECKPOINT_FILE);
  }
}
