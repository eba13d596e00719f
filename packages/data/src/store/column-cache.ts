import * as fsp from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { BarFrame } from '../domain/bar-frame';
import { BAR_FIELDS, type BarColumns } from '../domain/bars';
import { type AtomicWriteIo, writeFileAtomic } from './atomic-write';

/**
 * Identity of the CSV a cache was built from. A cache is used only while the CSV still has the same
 * size, modification time (sub-millisecond on common file systems), change time and inode; the
 * store's own writes replace the inode, other tools change size or mtime, and ctime catches a tool
 * that rewrites in place and then restores the mtime (which no program can do for ctime).
 */
export interface CsvStamp {
  size: number;
  mtimeMs: number;
  ino: number;
  ctimeMs: number;
}

/** What the cache header says about the series, read without loading the columns. */
export interface CacheSummary {
  rows: number;
  firstTime: number | undefined;
  lastTime: number | undefined;
}

/** Bumped whenever the layout changes; other versions are ignored and rebuilt. */
export const CACHE_VERSION = 2;

// Layout: a 72-byte header (`KTRDRBAR`, u32 version, u32 column count, then f64 rows, CSV size,
// CSV mtimeMs, CSV inode, first time, last time, CSV ctimeMs), then the six columns as
// little-endian float64, each `rows` long, in BAR_FIELDS order. The header is 8-byte aligned, so
// the columns are viewed in place, without copying or parsing.
const MAGIC = 'KTRDRBAR';
const HEADER_BYTES = 72;
const COLUMN_COUNT = BAR_FIELDS.length;
// Columns are stored as raw native Float64Arrays; the layout is little-endian by definition, so
// the cache is used on little-endian machines only (tested on the bytes, not with `node:os`,
// which a read-only command would otherwise load for this one answer).
const CACHE_SUPPORTED = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The {@link CsvStamp} of a CSV's `fs.Stats`. */
export function stampOf(stats: Pick<Stats, 'size' | 'mtimeMs' | 'ino' | 'ctimeMs'>): CsvStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino, ctimeMs: stats.ctimeMs };
}

/** Reads a cache; `undefined` when it is missing, stale (stamp differs), from another version or corrupt. */
export async function readColumnCache(path: string, stamp: CsvStamp): Promise<BarFrame | undefined> {
  if (!CACHE_SUPPORTED) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readWhole(path);
  } catch {
    return undefined;
  }
  const summary = readHeader(bytes, stamp);
  if (summary === undefined || bytes.byteLength !== HEADER_BYTES + summary.rows * COLUMN_COUNT * 8)
    return undefined;
  // Small files may come from Node's shared pool at an offset Float64Array cannot view.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
  const columns = {} as BarColumns;
  BAR_FIELDS.forEach((field, k) => {
    columns[field] = new Float64Array(
      aligned.buffer,
      aligned.byteOffset + HEADER_BYTES + k * summary.rows * 8,
      summary.rows,
    );
  });
  try {
    const frame = BarFrame.fromSortedColumns(columns);
    if (frame.firstTime !== summary.firstTime || frame.lastTime !== summary.lastTime) return undefined;
    return frame;
  } catch {
    return undefined; // times out of order: the cache is damaged, rebuild it from the CSV
  }
}

/**
 * A file's bytes in as few reads as the kernel allows, into one buffer of its size. `readFile`
 * reads in 512 KiB steps, each a trip through the thread pool: about 100 of them for a million
 * bars, which on a busy machine cost more than the copying.
 */
async function readWhole(path: string): Promise<Buffer> {
  const handle = await fsp.open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafeSlow(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, read, size - read, read);
      if (bytesRead === 0) break; // shrank meanwhile: the length check below rejects it
      read += bytesRead;
    }
    return read === size ? bytes : bytes.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** The last bars of a series, read from its cache without the rest. */
export interface CacheTail {
  frame: BarFrame;
  /** Bars in the whole series. */
  rows: number;
}

/**
 * Reads the last `n` bars of each column (one positioned read per column), without reading the
 * rest of the file: `undefined` when the cache is missing, stale, from another version or corrupt.
 */
export async function readColumnCacheTail(
  path: string,
  stamp: CsvStamp,
  n: number,
): Promise<CacheTail | undefined> {
  if (!CACHE_SUPPORTED) return undefined;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(path, 'r');
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    const summary = readHeader(header.subarray(0, bytesRead), stamp);
    if (summary === undefined) return undefined;
    const { size } = await handle.stat();
    if (size !== HEADER_BYTES + summary.rows * COLUMN_COUNT * 8) return undefined;
    const count = Math.min(summary.rows, Math.max(0, Math.floor(n)));
    const block = new Uint8Array(count * COLUMN_COUNT * 8);
    const columns = {} as BarColumns;
    const reads = BAR_FIELDS.map((field, k) => {
      columns[field] = new Float64Array(block.buffer, k * count * 8, count);
      const position = HEADER_BYTES + (k * summary.rows + summary.rows - count) * 8;
      return handle?.read(block, k * count * 8, count * 8, position);
    });
    for (const read of await Promise.all(reads)) if (read?.bytesRead !== count * 8) return undefined;
    const frame = BarFrame.fromSortedColumns(columns);
    if (frame.lastTime !== summary.lastTime) return undefined;
    if (count === summary.rows && frame.firstTime !== summary.firstTime) return undefined;
    return { frame, rows: summary.rows };
  } catch {
    return undefined; // unreadable or damaged: the caller reads the whole series instead
  } finally {
    await handle?.close();
  }
}

/** Reads only the cache header; `undefined` unless it is valid for `stamp`. */
export async function readCacheSummary(path: string, stamp: CsvStamp): Promise<CacheSummary | undefined> {
  if (!CACHE_SUPPORTED) return undefined;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(path, 'r');
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    const { size } = await handle.stat();
    const summary = readHeader(header.subarray(0, bytesRead), stamp);
    return summary !== undefined && size === HEADER_BYTES + summary.rows * COLUMN_COUNT * 8
      ? summary
      : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes the cache of `frame` for the CSV identified by `stamp`, atomically but without fsync: a
 * cache lost or torn in a crash fails validation and is rebuilt from the CSV.
 */
export async function writeColumnCache(
  path: string,
  frame: BarFrame,
  stamp: CsvStamp,
  io?: AtomicWriteIo,
): Promise<void> {
  if (!CACHE_SUPPORTED) return;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(CACHE_VERSION, 8);
  header.writeUInt32LE(COLUMN_COUNT, 12);
  header.writeDoubleLE(frame.length, 16);
  header.writeDoubleLE(stamp.size, 24);
  header.writeDoubleLE(stamp.mtimeMs, 32);
  header.writeDoubleLE(stamp.ino, 40);
  header.writeDoubleLE(frame.firstTime ?? Number.NaN, 48);
  header.writeDoubleLE(frame.lastTime ?? Number.NaN, 56);
  header.writeDoubleLE(stamp.ctimeMs, 64);
  const columns = frame.columns();
  const chunks = [
    header,
    ...BAR_FIELDS.map((f) => new Uint8Array(columns[f].buffer, columns[f].byteOffset, columns[f].byteLength)),
  ];
  await writeFileAtomic(path, chunks, { durable: false, ...(io === undefined ? {} : { io }) });
}

function readHeader(bytes: Uint8Array, stamp: CsvStamp): CacheSummary | undefined {
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (view.toString('latin1', 0, 8) !== MAGIC) return undefined;
  if (view.readUInt32LE(8) !== CACHE_VERSION || view.readUInt32LE(12) !== COLUMN_COUNT) return undefined;
  const rows = view.readDoubleLE(16);
  if (!Number.isInteger(rows) || rows < 0) return undefined;
  if (
    view.readDoubleLE(24) !== stamp.size ||
    view.readDoubleLE(32) !== stamp.mtimeMs ||
    view.readDoubleLE(40) !== stamp.ino ||
    view.readDoubleLE(64) !== stamp.ctimeMs
  ) {
    return undefined;
  }
  const first = view.readDoubleLE(48);
  const last = view.readDoubleLE(56);
  return rows === 0
    ? { rows, firstTime: undefined, lastTime: undefined }
    : { rows, firstTime: first, lastTime: last };
}
