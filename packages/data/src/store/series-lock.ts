import { ConflictError, InternalError } from '@ktrdr/core/errors';
// A type-only import: erased from the build, so nothing loads until the first write.
import type * as ProperLockfileModule from 'proper-lockfile';
import { seriesLocks } from './keyed-mutex';

/** How long a series lock may go without its holder refreshing it before others take it over. */
export const DEFAULT_LOCK_STALE_MS = 10_000;

/** How long a writer waits for a series lock before failing with a ConflictError. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** Options of {@link withSeriesLock}. */
export interface SeriesLockOptions {
  /** See {@link DEFAULT_LOCK_STALE_MS}; at least 2,000 (proper-lockfile's floor). */
  staleMs?: number;
  /** See {@link DEFAULT_LOCK_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** What {@link withSeriesLock} locks. */
export interface LockedSeries {
  /** The CSV's absolute path: the key of the in-process mutex. */
  file: string;
  /** The lock directory's absolute path. */
  lockPath: string;
  /** The series as messages name it: relative to the data folder, so errors can go over HTTP. */
  label: string;
}

/** Given to the holder: throws once the lock was lost, so nothing is committed without it. */
export type AssertLockHeld = () => void;

type ProperLockfile = typeof ProperLockfileModule;

// Loaded on the first write only: a process that just reads the store (`ktrdr data show`, whose bin
// bundles the store) must not load proper-lockfile and its graceful-fs at start-up.
let properLockfile: Promise<ProperLockfile> | undefined;
const loadProperLockfile = (): Promise<ProperLockfile> => (properLockfile ??= import('proper-lockfile'));

/**
 * Runs `fn` while holding the series' lock, in two layers:
 * - in-process, a keyed mutex on the CSV's path orders this process' writers (proper-lockfile would refuse
 *   a second lock from the same process rather than queue it);
 * - across processes and machines, a lock directory at `lockPath` (proper-lockfile: `mkdir` is
 *   atomic on local file systems and NFS). The holder refreshes its mtime every `staleMs / 2`; a lock
 *   not refreshed for `staleMs` belongs to a dead (or hung) writer and is taken over.
 *
 * A holder that stalls past `staleMs` loses the lock: `assertHeld` then throws, so the caller checks
 * it right before committing (the rename) and a writer that lost its lock never replaces the file.
 * @throws ConflictError when the lock stays held by a live writer for `timeoutMs`.
 */
export async function withSeriesLock<T>(
  { file, lockPath, label }: LockedSeries,
  fn: (assertHeld: AssertLockHeld) => Promise<T>,
  options: SeriesLockOptions = {},
): Promise<T> {
  return seriesLocks.run(file, async () => {
    const { lock } = await loadProperLockfile();
    const staleMs = Math.max(2000, options.staleMs ?? DEFAULT_LOCK_STALE_MS);
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    let lost: Error | undefined;
    let release: () => Promise<void>;
    for (let attempt = 0; ; attempt++) {
      try {
        release = await lock(file, {
          realpath: false, // the CSV need not exist yet
          lockfilePath: lockPath,
          stale: staleMs,
          retries: 0, // waiting is done below, against a deadline
          onCompromised: (error) => {
            lost = error; // never thrown from a timer: the holder sees it through assertHeld
          },
        });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw lockError(label, error);
        if (Date.now() >= deadline) {
          throw new ConflictError(
            `Another writer has held the lock on ${label} for over ${Math.round((options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS) / 1000)} s; nothing was written. Retry once it finishes.`,
            { details: { file: label } },
          );
        }
        await sleep(Math.min(250, 10 * 1.5 ** attempt) * (0.5 + Math.random()));
      }
    }
    const assertHeld: AssertLockHeld = () => {
      if (lost !== undefined) {
        throw new ConflictError(
          `Lost the lock on ${label} (not refreshed within ${staleMs} ms, so another writer may have taken it over); nothing was written.`,
          { details: { file: label }, cause: lost },
        );
      }
    };
    try {
      return await fn(assertHeld);
    } finally {
      // A lost lock is no longer ours to release; any other failure leaves a lock that goes stale.
      await release().catch(() => undefined);
    }
  });
}

function lockError(label: string, cause: unknown): InternalError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  return new InternalError(
    `Could not take the write lock of ${label}${code === undefined ? '' : ` (${code})`}: check the data folder's permissions.`,
    { details: { file: label, ...(code === undefined ? {} : { errno: code }) }, cause },
  );
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
