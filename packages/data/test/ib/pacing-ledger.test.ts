import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceConfigurationError } from '@ktrdr/core';
import lockfile from 'proper-lockfile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilePacingLedger, pacingLedgerPath } from '../../src/ib/pacing-ledger';
import {
  PacingScheduler,
  type PacingPermit,
  type PacingSchedulerOptions,
  type PacingTicket,
} from '../../src/ib/pacing-scheduler';
import { FakeClock, settle } from './fake-clock';
import { pacingViolations, type SendRecord } from './pacing-rules';

const EXACT = { safetyMargin: { ratio: 0, ms: 0 }, minIntervalMs: 0 } satisfies PacingSchedulerOptions;
const BUCKET = 'STK:AAPL@SMART/TRADES';
const ticket = (n: number, bucket = BUCKET): PacingTicket => ({ identity: `${bucket}#${n}`, bucket });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ktrdr-ledger-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Schedulers standing for separate processes: each has its own ledger handle (its own owner name)
 * on one file, and all read one fake clock as both their clock and the wall clock.
 */
function processes(count: number, options: { ledger?: boolean } = {}) {
  const clock = new FakeClock();
  const file = join(dir, 'pacing', 'gw.jsonl');
  const sends: SendRecord[] = [];
  const schedulers = Array.from({ length: count }, () => {
    const ledger =
      options.ledger === false ? false : new FilePacingLedger({ file, wallNow: () => clock.now() });
    return new PacingScheduler({ ...EXACT, clock, ledger });
  });
  const acquire = (scheduler: PacingScheduler, t: PacingTicket): Promise<PacingPermit> =>
    scheduler.acquire(t).then((permit) => {
      sends.push({ time: clock.now(), bucket: t.bucket, identity: t.identity, weight: 1 });
      return permit;
    });
  return { clock, file, sends, schedulers, acquire };
}

describe('pacing ledger shared by several processes', () => {
  it('without a ledger, two processes each send five requests for one contract at once (a violation)', async () => {
    const { schedulers, acquire, sends } = processes(2, { ledger: false });
    schedulers.forEach((scheduler, p) => {
      for (let i = 0; i < 5; i++) void acquire(scheduler, ticket(p * 10 + i));
    });
    await settle();
    expect(sends).toHaveLength(10);
    expect(pacingViolations(sends)).not.toEqual([]);
  });

  it('with a ledger, four processes together keep 5 per 2 s per contract and 60 per 10 minutes', async () => {
    const { clock, schedulers, acquire, sends } = processes(4);
    const all: Array<Promise<void>> = [];
    schedulers.forEach((scheduler, p) => {
      for (let i = 0; i < 20; i++) {
        const bucket = i % 4 === 0 ? 'STK:MSFT@SMART/TRADES' : BUCKET;
        all.push(
          acquire(scheduler, ticket(p * 100 + i, bucket)).then((permit) => {
            clock.setTimeout(() => permit.release(), 300);
          }),
        );
      }
    });
    while (sends.length < 80) await clock.advance(1_000);
    await Promise.all(all);
    expect(pacingViolations(sends)).toEqual([]);
    // 80 requests need a second 10-minute window: the shared count held the 61st.
    expect(Math.max(...sends.map((send) => send.time))).toBeGreaterThanOrEqual(600_000);
  });

  it('holds an identical request another process sent less than 15 s ago', async () => {
    const { clock, schedulers, acquire, sends } = processes(2);
    const [a, b] = schedulers as [PacingScheduler, PacingScheduler];
    await acquire(a, ticket(1));
    void acquire(b, ticket(1));
    await clock.advance(14_999);
    expect(sends).toHaveLength(1);
    await clock.advance(1);
    expect(sends.map((send) => send.time)).toEqual([0, 15_000]);
  });

  it('counts from the actual send time and forgets a revoked grant, for the other processes too', async () => {
    const { clock, schedulers, acquire, sends } = processes(2);
    const [a, b] = schedulers as [PacingScheduler, PacingScheduler];
    const permits = await Promise.all([0, 1, 2, 3, 4].map((i) => acquire(a, ticket(i))));
    await clock.advance(500);
    permits[0]?.markSent(); // left at 500: the window of b's sixth now ends at 2 500
    permits[1]?.revoke(); // never left: only four sends of a count
    void acquire(b, ticket(10));
    void acquire(b, ticket(11));
    await settle();
    expect(sends.slice(5).map((send) => send.time)).toEqual([500]);
    await clock.advance(1_499);
    expect(sends).toHaveLength(6);
    await clock.advance(1);
    expect(sends.slice(5).map((send) => send.time)).toEqual([500, 2_000]);
  });

  it('waits while another process holds the lock, then decides', async () => {
    const { clock, file, schedulers, acquire, sends } = processes(1);
    const [a] = schedulers as [PacingScheduler];
    await acquire(a, ticket(0)); // creates the folder and the file
    const release = lockfile.lockSync(file, { realpath: false });
    void acquire(a, ticket(1));
    await settle();
    expect(sends).toHaveLength(1);
    release();
    await clock.advance(10);
    expect(sends).toHaveLength(2);
  });

  it('takes over a lock left by a process that died holding it', async () => {
    const { file, schedulers, acquire, sends } = processes(1);
    const [a] = schedulers as [PacingScheduler];
    await acquire(a, ticket(0)); // creates the folder and the file
    mkdirSync(`${file}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, longAgo, longAgo);
    await acquire(a, ticket(1));
    expect(sends).toHaveLength(2);
  });

  it('skips a line torn by a crash and compacts the log to its live entries', async () => {
    const { clock, file, schedulers, acquire, sends } = processes(1);
    const [a] = schedulers as [PacingScheduler];
    await acquire(a, ticket(0)); // creates the folder and the file
    await clock.advance(3_600_000);
    const send = (seq: number, at: number) =>
      JSON.stringify({ o: 'other', kind: 'send', seq, at, bucket: BUCKET, identity: `i${seq}`, weight: 1 });
    const stale = Array.from({ length: 400 }, (_, seq) => send(seq, seq)).join('\n');
    const live = [1, 2, 3, 4, 5].map((seq) => send(1_000 + seq, clock.now() - 100)).join('\n');
    writeFileSync(file, `${stale}\n${live}\n{"o":"x","kind":"se`);
    void acquire(a, ticket(1));
    await settle();
    // The other process's five live sends hold the sixth for the rest of their 2 s window.
    expect(sends).toHaveLength(1);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => (JSON.parse(line) as { o: string }).o === 'other')).toBe(true);
    await clock.advance(1_900);
    expect(sends).toHaveLength(2);
  });

  it('fails waiting requests with a configuration error when the ledger cannot be written', async () => {
    const readOnly = join(dir, 'read-only');
    writeFileSync(readOnly, 'a file where the folder should be');
    const scheduler = new PacingScheduler({
      ...EXACT,
      clock: new FakeClock(),
      ledger: new FilePacingLedger({ file: join(readOnly, 'pacing', 'gw.jsonl') }),
    });
    await expect(scheduler.acquire(ticket(1))).rejects.toBeInstanceOf(ServiceConfigurationError);
  });

  it('names one file per gateway under the data folder', () => {
    expect(pacingLedgerPath('/data', '127.0.0.1', 4002)).toBe('/data/.ktrdr/pacing/127.0.0.1_4002.jsonl');
    expect(pacingLedgerPath('/data', '::1', 4002)).toBe('/data/.ktrdr/pacing/__1_4002.jsonl');
  });
});

describe('pacing ledger under the practical policy', () => {
  it('shares the hard-paced requests (30-second bars) and leaves the throttled ones (1-minute bars) out', async () => {
    const { clock, file, schedulers, acquire, sends } = processes(2);
    const [first, second] = schedulers as [PacingScheduler, PacingScheduler];
    const small = (n: number): PacingTicket => ({ ...ticket(n), barSeconds: 30 });
    const minute = (n: number): PacingTicket => ({ ...ticket(100 + n), barSeconds: 60 });
    for (let i = 0; i < 4; i++) void acquire(first, minute(i));
    for (let i = 0; i < 5; i++) void acquire(first, small(i));
    await settle();
    // The first process used the contract's five 30-second requests of these 2 s: the second waits.
    void acquire(second, small(10));
    await settle();
    expect(sends).toHaveLength(9);
    // Only the five hard-paced sends are in the ledger.
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(5);
    await clock.advance(2_000);
    expect(sends).toHaveLength(10);
    const hard = sends.filter((send) => Number(send.identity.split('#')[1]) < 100);
    expect(pacingViolations(hard)).toEqual([]);
  });
});
