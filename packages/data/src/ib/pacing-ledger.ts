import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ServiceConfigurationError } from '@ktrdr/core';
import type * as ProperLockfile from 'proper-lockfile';

/** Loaded on the first lock: commands that never load from IB never pay for it (nor its exit hooks). */
let lockfile: typeof ProperLockfile | undefined;

/** One historical request some process sent to the gateway, as the ledger records it. */
export interface LedgerSend {
  /** Wall-clock send time, epoch milliseconds (shared across processes and machines). */
  at: number;
  /** The pacing bucket (contract + exchange + tick type). */
  bucket: string;
  /** A short hash of the request's identity (see {@link ledgerIdentity}). */
  identity: string;
  weight: number;
}

/** What a scheduler appends: a new send, a later send time, or the send taken back. */
export type LedgerRecord =
  | ({ kind: 'send'; seq: number } & LedgerSend)
  | { kind: 'sent'; seq: number; at: number }
  | { kind: 'revoke'; seq: number };

/**
 * Pacing state shared by every process that talks to one gateway. {@link PacingLedger.transact}
 * runs a check-then-record step atomically across processes: it reads what the *other* holders
 * sent, lets the caller decide, and appends the caller's records before anyone else may read.
 */
export interface PacingLedger {
  /** Where the ledger lives, for messages. */
  readonly location: string;
  /** Wall-clock time of the ledger, epoch ms (tests inject one). */
  wallNow(): number;
  /**
   * Runs `decide` holding the ledger's lock with the sends other holders recorded within
   * `retentionMs`, then appends the records it returns. Returns false, without calling `decide`,
   * when the lock stayed busy (try again shortly).
   * @throws ServiceConfigurationError when the ledger cannot be read or written.
   */
  transact(retentionMs: number, decide: (others: readonly LedgerSend[]) => readonly LedgerRecord[]): boolean;
}

/** Options of {@link FilePacingLedger}. */
export interface FilePacingLedgerOptions {
  /** The ledger file (a JSON-lines log; its lock is `<file>.lock`). */
  file: string;
  /** Wall clock (default `Date.now`). */
  wallNow?: () => number;
  /**
   * How long to wait for a busy lock before giving up this try (the scheduler tries again 5 ms
   * later). Default 10 ms: a live holder keeps it for microseconds.
   */
  lockWaitMs?: number;
}

/** A lock older than this belongs to a process that died holding it (it is held for microseconds). */
const STALE_LOCK_MS = 2_000;
/** Rewrite the log once it holds this many lines more than are still live. */
const COMPACT_SLACK_LINES = 64;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` without spinning (the lock is held for microseconds: waits are tiny). */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * A short, stable hash of a request identity (two 32-bit FNV-1a hashes, 16 hex digits), so the
 * ledger holds no long contract strings. Only the handful of requests inside one 15-second window
 * are ever compared, so a fast non-cryptographic hash is ample (and keeps `node:crypto` unloaded).
 */
export function ledgerIdentity(identity: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ identity.length;
  for (let i = 0; i < identity.length; i++) {
    const code = identity.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x811c9dc5 | 1) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** A random name part: two ledger holders in one process, or on two machines, never share a name. */
function randomTag(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

interface OwnedSend extends LedgerSend {
  owner: string;
  seq: number;
}

/**
 * A {@link PacingLedger} in a file: an append-only JSON-lines log guarded by a `proper-lockfile`
 * lock (an atomic `mkdir`, with stale-lock detection for holders that died). Everything runs
 * synchronously inside one tick: the lock is never held across an `await`, so a live holder keeps
 * it for well under a millisecond and a waiter blocks only that long. The log is compacted to its
 * live entries when it grows.
 */
export class FilePacingLedger implements PacingLedger {
  readonly location: string;
  /** This holder's name in the log: pid and a random part (two schedulers in one process differ). */
  readonly owner = `${process.pid}:${randomTag()}`;
  private readonly wallClock: () => number;
  private readonly lockWaitMs: number;
  private ready = false;

  constructor(options: FilePacingLedgerOptions) {
    this.location = options.file;
    this.wallClock = options.wallNow ?? Date.now;
    this.lockWaitMs = options.lockWaitMs ?? 10;
  }

  wallNow(): number {
    return this.wallClock();
  }

  transact(retentionMs: number, decide: (others: readonly LedgerSend[]) => readonly LedgerRecord[]): boolean {
    const release = this.lock();
    if (release === undefined) return false;
    try {
      const { live, lines } = this.read(this.wallNow() - retentionMs);
      const records = decide([...live.values()].filter((send) => send.owner !== this.owner));
      const text = records.map((record) => `${JSON.stringify({ o: this.owner, ...record })}\n`).join('');
      if (lines > live.size + COMPACT_SLACK_LINES) {
        this.compact(live, text);
      } else if (text !== '') {
        appendFileSync(this.location, text);
      }
      return true;
    } catch (error) {
      throw this.failure(error);
    } finally {
      release();
    }
  }

  private lock(): (() => void) | undefined {
    try {
      if (!this.ready) {
        mkdirSync(dirname(this.location), { recursive: true });
        this.ready = true;
      }
    } catch (error) {
      throw this.failure(error);
    }
    const locks = (lockfile ??= createRequire(import.meta.url)('proper-lockfile') as typeof ProperLockfile);
    const deadline = performance.now() + this.lockWaitMs;
    for (let pause = 0.5; ; pause = Math.min(pause * 2, 8)) {
      try {
        return locks.lockSync(this.location, {
          realpath: false,
          stale: STALE_LOCK_MS,
          // A holder never yields while it holds the lock, so the mtime refresh never runs; a
          // compromised lock must not throw from a timer either.
          onCompromised: () => undefined,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw this.failure(error);
        if (performance.now() >= deadline) return undefined;
        sleepSync(pause);
      }
    }
  }

  /** The live sends of every holder (later `sent` records move a send, `revoke` removes it). */
  private read(oldest: number): { live: Map<string, OwnedSend>; lines: number } {
    let text: string;
    try {
      text = readFileSync(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { live: new Map(), lines: 0 };
      throw error;
    }
    const sends = new Map<string, OwnedSend>();
    let lines = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines += 1;
      const record = parseRecord(line);
      // A line torn by a crash mid-append is skipped: it was never acknowledged to its writer's caller.
      if (record === undefined) continue;
      const key = `${record.o}#${record.seq}`;
      if (record.kind === 'send') {
        sends.set(key, {
          owner: record.o,
          seq: record.seq,
          at: record.at,
          bucket: record.bucket,
          identity: record.identity,
          weight: record.weight,
        });
      } else if (record.kind === 'sent') {
        const send = sends.get(key);
        if (send !== undefined) send.at = Math.max(send.at, record.at);
      } else {
        sends.delete(key);
      }
    }
    for (const [key, send] of sends) if (send.at < oldest) sends.delete(key);
    return { live: sends, lines };
  }

  /** Rewrites the log with its live sends only, atomically (write aside, then rename). */
  private compact(live: Map<string, OwnedSend>, appended: string): void {
    const kept = [...live.values()]
      .map(({ owner, ...send }) => `${JSON.stringify({ o: owner, kind: 'send', ...send })}\n`)
      .join('');
    const temporary = `${this.location}.${process.pid}.tmp`;
    writeFileSync(temporary, kept + appended);
    renameSync(temporary, this.location);
  }

  private failure(error: unknown): Error {
    if (error instanceof ServiceConfigurationError) return error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    return new ServiceConfigurationError(
      `The IB pacing ledger shared by processes using this gateway cannot be used (${code}): make ` +
        'the data folder writable, or set pacing.ledger to false to pace this process alone.',
      { details: { service: 'ib', variable: 'KTRDR_DATA_DIR', code }, cause: error },
    );
  }
}

type ParsedRecord = LedgerRecord & { o: string };

function parseRecord(line: string): ParsedRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<Record<string, unknown>>;
  if (typeof record['o'] !== 'string' || typeof record['seq'] !== 'number') return undefined;
  switch (record['kind']) {
    case 'send':
      return typeof record['at'] === 'number' &&
        typeof record['bucket'] === 'string' &&
        typeof record['identity'] === 'string' &&
        typeof record['weight'] === 'number'
        ? (record as ParsedRecord)
        : undefined;
    case 'sent':
      return typeof record['at'] === 'number' ? (record as ParsedRecord) : undefined;
    case 'revoke':
      return record as ParsedRecord;
    default:
      return undefined;
  }
}

/**
 * The ledger file of one gateway under a data folder: `<dataDir>/.ktrdr/pacing/<host>_<port>.jsonl`.
 * Every process whose data folder is `dataDir` and that talks to `host:port` shares it.
 */
export function pacingLedgerPath(dataDir: string, host: string, port: number): string {
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '_');
  return join(dataDir, '.ktrdr', 'pacing', `${safeHost}_${port}.jsonl`);
}

/** A {@link FilePacingLedger} for the gateway `host:port`, under the data folder `dataDir`. */
export function createPacingLedger(options: { dataDir: string; host: string; port: number }): PacingLedger {
  return new FilePacingLedger({ file: pacingLedgerPath(options.dataDir, options.host, options.port) });
}
