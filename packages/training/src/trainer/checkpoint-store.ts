import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ValidationError } from '@ktrdr/core';
import type { CheckpointStore, TrainingCheckpoint } from './training-checkpoint';

/** File name of the latest checkpoint in a checkpoint folder. */
export const CHECKPOINT_FILE = 'checkpoint.json';

/**
 * A checkpoint as bytes (JSON; typed arrays as base64, non-finite numbers spelled out), the
 * portable form a store keeps in a file, Redis or object storage.
 */
export function serializeCheckpoint(checkpoint: TrainingCheckpoint): Buffer {
  return Buffer.from(
    JSON.stringify(checkpoint, function (this: unknown, _key, value: unknown) {
      if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
      if (value instanceof Float32Array) return { $f32: bytes(value) };
      if (value instanceof Uint32Array) return { $u32: bytes(value) };
      return value;
    }),
  );
}

/**
 * Reads bytes written by {@link serializeCheckpoint}.
 * @throws ValidationError when they are not a checkpoint (torn, corrupt or another format).
 */
export function deserializeCheckpoint(data: Uint8Array): TrainingCheckpoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'), (_key, value: unknown) => {
      if (value === null || typeof value !== 'object') return value;
      const v = value as Record<string, unknown>;
      if (typeof v.$num === 'string') return Number(v.$num);
      if (typeof v.$f32 === 'string') return new Float32Array(copy(v.$f32));
      if (typeof v.$u32 === 'string') return new Uint32Array(copy(v.$u32));
      return value;
    });
  } catch (cause) {
    throw new ValidationError('The training checkpoint is not valid JSON (torn or corrupt)', { cause });
  }
  const c = parsed as Partial<TrainingCheckpoint> | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    c.version !== 1 ||
    typeof c.epoch !== 'number' ||
    c.weights === undefined ||
    c.optimizer === undefined ||
    c.loop === undefined ||
    !Array.isArray(c.history)
  ) {
    throw new ValidationError('The training checkpoint is not a version-1 checkpoint of this format');
  }
  return c as TrainingCheckpoint;
}

function bytes(array: Float32Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** Decoded base64 in a fresh, 4-byte aligned buffer. */
function copy(base64: string): ArrayBuffer {
  const buffer = Buffer.from(base64, 'base64');
  if (buffer.byteLength % 4 !== 0) throw new Error('typed array of a bad length');
  const out = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(out).set(buffer);
  return out;
}

/**
 * Keeps a run's latest checkpoint as `checkpoint.json` in `dir`. Each save writes a temporary file
 * beside it and renames it over the old one, so a process killed mid-write leaves the previous
 * checkpoint whole.
 */
export class FileCheckpointStore implements CheckpointStore {
  constructor(readonly dir: string) {}

  async save(checkpoint: TrainingCheckpoint): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, CHECKPOINT_FILE);
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, serializeCheckpoint(checkpoint), { flush: true });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async load(): Promise<TrainingCheckpoint | null> {
    let data: Buffer;
    try {
      data = await readFile(join(this.dir, CHECKPOINT_FILE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return deserializeCheckpoint(data);
  }
}
