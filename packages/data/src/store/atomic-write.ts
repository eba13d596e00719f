import type { FileHandle } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * 12 random hex digits for a temp file's name, from the global Web Crypto: it is loaded on first
 * use, so a process that only reads the store (`ktrdr data show`) never loads `node:crypto`.
 */
function randomSuffix(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(6));
  return Buffer.from(bytes).toString('hex');
}

/** The file operations an atomic write needs; replaceable so tests can inject failures. */
export interface AtomicWriteIo {
  open(path: string, flags: string, mode?: number): Promise<Pick<FileHandle, 'write' | 'sync' | 'close'>>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync a directory so a rename in it survives a power cut; may be a no-op where unsupported. */
  syncDir(dir: string): Promise<void>;
}

/** {@link AtomicWriteIo} on the real file system. */
export const nodeIo: AtomicWriteIo = {
  open: (path, flags, mode) => fsp.open(path, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  async syncDir(dir) {
    let handle: FileHandle | undefined;
    try {
      handle = await fsp.open(dir, 'r');
      await handle.sync();
    } catch (error) {
      // Windows cannot open or fsync directories; the rename is still atomic there.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw error;
    } finally {
      await handle?.close();
    }
  },
};

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** fsync the file and its folder (default true). Off only for rebuildable files such as caches. */
  durable?: boolean;
  io?: AtomicWriteIo;
  mode?: number;
  /**
   * Called right before the rename that commits the write; throwing aborts it (the temp file is
   * removed, `path` is untouched). The store checks here that it still holds the series lock.
   */
  beforeCommit?: () => void;
}

/** Prefix of temp files, so listings can skip them. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Replaces `path` with `data` so that readers, and the file after a crash, see either the old
 * content or the new, never a mix: write a temp file in the same folder (same file system, so the
 * rename is atomic), fsync it, rename it over `path`, fsync the folder. On failure the temp file is
 * removed and `path` is untouched.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): Promise<void> {
  const io = options.io ?? nodeIo;
  const durable = options.durable ?? true;
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomSuffix()}`);
  const chunks = data instanceof Uint8Array ? [data] : data;
  let handle: Pick<FileHandle, 'write' | 'sync' | 'close'> | undefined;
  try {
    handle = await io.open(temp, 'wx', options.mode ?? 0o644);
    for (const chunk of chunks) {
      for (let offset = 0; offset < chunk.byteLength;) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        if (bytesWritten <= 0) throw new Error(`write to ${temp} made no progress`);
        offset += bytesWritten;
      }
    }
    if (durable) await handle.sync();
    await handle.close();
    handle = undefined;
    options.beforeCommit?.();
    await io.rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await io.unlink(temp).catch(() => undefined);
    throw error;
  }
  if (durable) await io.syncDir(dir);
}
