import type { Stats } from 'node:fs';
import type { BarFrame } from '../domain/bar-frame';

/**
 * What identifies one version of a CSV file. Another process's write changes at least one field:
 * the store's own writes rename a new inode into place, other tools change size, mtime or ctime.
 * ctime cannot be set by a program (unlike mtime, which `touch -d` or `rsync -t` restore).
 */
export interface FileVersion {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

/** Options of the store's in-memory cache of recently read series. */
export interface HotCacheOptions {
  /** Most bytes of bar columns kept (48 per bar); least recently read series go first. Default 64 MiB. */
  maxBytes?: number;
  /**
   * A version is trusted only once its ctime is this much older than the read that saw it
   * (default 2 s). File times tick coarsely (a few ms on Linux, 1-2 s on some file systems), so
   * two writes within one tick can leave size, times and a reused inode number all equal; a file
   * read that soon after a change is read again next time rather than cached (git's "racy clean"
   * rule).
   */
  racyMarginMs?: number;
  /** Wall clock, for tests (default `Date.now`). */
  now?: () => number;
}

/** The {@link FileVersion} of a file's `fs.Stats`. */
export function versionOf(stats: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'dev'>): FileVersion {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, dev: stats.dev };
}

function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return (
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino &&
    a.dev === b.dev
  );
}

/**
 * Forms derived from one version of a series (an answer's bytes, say), kept with its bars in the
 * store's memory: they count against the same budget and leave with that version, so a reader never
 * gets bytes rendered from an older file.
 */
export interface SeriesMemo {
  /** What {@link SeriesMemo.set} kept under `key` for this version. */
  get(key: string): Uint8Array | undefined;
  /** Keeps `bytes` under `key` while this version stays in memory (ignored past the size limit). */
  set(key: string, bytes: Uint8Array): void;
}

interface Entry {
  version: FileVersion;
  frame: BarFrame;
  /** False when `frame` holds only the last bars of the series (a tail read). */
  complete: boolean;
  /** The bars' bytes plus the memo's. */
  bytes: number;
  memo: SeriesMemo;
}

/** A cached read: the frame and the memo of its version. */
export interface HotHit {
  frame: BarFrame;
  memo: SeriesMemo;
}

const BYTES_PER_BAR = 6 * 8;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_RACY_MARGIN_MS = 2000;
// Memo entries per version and bytes per memo entry: a series' memo holds a few answers (the API's
// usual limits), never enough to crowd out other series' bars.
const MEMO_KEYS = 8;
const MEMO_MAX_BYTES = 1024 * 1024;

/**
 * Recently read series by CSV path, each valid for one {@link FileVersion} of its file: a reader
 * stats the file and gets the bars only while the version is the same, so a write by any process
 * is seen at the next read. Bounded by bytes, least recently used out first. Frames are immutable
 * and shared by every reader.
 */
export class HotSeriesCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;
  readonly #racyMarginMs: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: HotCacheOptions = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#racyMarginMs = options.racyMarginMs ?? DEFAULT_RACY_MARGIN_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The cached frame of `path` at `version`: all bars, or at least its last `atLeast` bars.
   * `undefined` when absent, of another version, or only a shorter tail.
   */
  get(path: string, version: FileVersion, atLeast = Number.POSITIVE_INFINITY): HotHit | undefined {
    const entry = this.#entries.get(path);
    if (entry === undefined) return undefined;
    if (!sameVersion(entry.version, version)) {
      this.#remove(path, entry);
      return undefined;
    }
    if (!entry.complete && entry.frame.length < atLeast) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    return { frame: entry.frame, memo: entry.memo };
  }

  /**
   * Keeps `frame`, read from `path` at `version` (all bars when `complete`, else its last bars), and
   * returns the version's memo. Ignored (`undefined`) while the version is too recent to trust, or
   * when the frame alone exceeds the budget.
   */
  set(path: string, version: FileVersion, frame: BarFrame, complete: boolean): SeriesMemo | undefined {
    const old = this.#entries.get(path);
    if (old !== undefined) this.#remove(path, old);
    if (this.#now() - version.ctimeMs <= this.#racyMarginMs) return undefined;
    const bytes = frame.length * BYTES_PER_BAR;
    if (bytes > this.#maxBytes) return undefined;
    const entry: Entry = { version, frame, complete, bytes, memo: this.#memoFor(path) };
    this.#entries.set(path, entry);
    this.#bytes += bytes;
    this.#evict();
    return entry.memo;
  }

  /** Forgets `path` (the store wrote or deleted it). */
  delete(path: string): void {
    const entry = this.#entries.get(path);
    if (entry !== undefined) this.#remove(path, entry);
  }

  #memoFor(path: string): SeriesMemo {
    const kept = new Map<string, Uint8Array>();
    const memo: SeriesMemo = {
      get: (key) => kept.get(key),
      set: (key, bytes) => {
        // Only while its version is the cached one: an evicted version's memo must not grow unseen.
        const entry = this.#entries.get(path);
        if (entry?.memo !== memo || kept.has(key) || kept.size >= MEMO_KEYS) return;
        if (bytes.byteLength > MEMO_MAX_BYTES) return;
        kept.set(key, bytes);
        entry.bytes += bytes.byteLength;
        this.#bytes += bytes.byteLength;
        this.#evict();
      },
    };
    return memo;
  }

  /** Least recently used out, until the budget holds. */
  #evict(): void {
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(oldest, entry);
    }
  }

  #remove(path: string, entry: Entry): void {
    this.#entries.delete(path);
    this.#bytes -= entry.bytes;
  }
}
