import { CancelledError, ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import {
  PacingScheduler,
  type PacingPermit,
  type PacingSchedulerOptions,
  type PacingTicket,
} from '../../src/ib/pacing-scheduler';
import { FakeClock, settle } from './fake-clock';
import { pacingViolations, type SendRecord } from './pacing-rules';

/** No margin and no spacing: the tests check the rules' exact arithmetic. */
const EXACT = { safetyMargin: { ratio: 0, ms: 0 }, minIntervalMs: 0 } satisfies PacingSchedulerOptions;

function setup(options: PacingSchedulerOptions = {}) {
  const clock = new FakeClock();
  const scheduler = new PacingScheduler({ ...EXACT, ...options, clock });
  const granted: Array<{ at: number; ticket: PacingTicket; permit: PacingPermit }> = [];
  const acquire = (ticket: PacingTicket, signal?: AbortSignal) => {
    const promise = scheduler.acquire(ticket, signal).then((permit) => {
      granted.push({ at: clock.now(), ticket, permit });
      return permit;
    });
    promise.catch(() => undefined);
    return promise;
  };
  return { clock, scheduler, granted, acquire };
}

const ticket = (n: number, bucket = 'STK:AAPL@SMART/TRADES', weight = 1): PacingTicket => ({
  identity: `${bucket}#${n}`,
  bucket,
  weight,
});

describe('PacingScheduler (strict)', () => {
  it('sends five requests for one contract at once and holds the sixth until the 2 s window has passed', async () => {
    const { clock, granted, acquire } = setup();
    for (let i = 0; i < 6; i++) void acquire(ticket(i));
    await settle();
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(1_999);
    expect(granted).toHaveLength(5);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 0, 0, 2_000]);
  });

  it('holds an identical request for 15 s', async () => {
    const { clock, granted, acquire } = setup();
    void acquire(ticket(1));
    void acquire(ticket(1));
    await settle();
    expect(granted).toHaveLength(1);
    await clock.advance(14_999);
    expect(granted).toHaveLength(1);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).toEqual([0, 15_000]);
  });

  it('allows 60 requests per 10 minutes, counting BID_ASK twice', async () => {
    const { clock, granted, acquire } = setup();
    // Different buckets, so only the 10-minute rule binds; released at once, so the open cap does not.
    for (let i = 0; i < 30; i++) void acquire(ticket(i, `bucket-${i}`, 2)).then((p) => p.release());
    void acquire(ticket(100, 'x', 1));
    await settle();
    expect(granted).toHaveLength(30); // 30 x 2 = 60: the weight-1 request would make 61
    await clock.advance(599_999);
    expect(granted).toHaveLength(30);
    await clock.advance(1);
    expect(granted).toHaveLength(31);
    expect(granted[30]?.at).toBe(600_000);
  });

  it('grants the 61st request exactly when the first leaves the 10-minute window', async () => {
    const { clock, granted, acquire } = setup();
    for (let i = 0; i < 61; i++) void acquire(ticket(i, `b${i}`)).then((p) => p.release());
    await settle();
    expect(granted).toHaveLength(60);
    await clock.advance(599_999);
    expect(granted).toHaveLength(60);
    await clock.advance(1);
    expect(granted).toHaveLength(61);
  });

  it('keeps at most 50 requests open, granting the 51st when one is released', async () => {
    const { granted, acquire, scheduler } = setup({ limits: { globalMaxWeight: 1_000 } });
    for (let i = 0; i < 51; i++) void acquire(ticket(i, `b${i}`));
    await settle();
    expect(granted).toHaveLength(50);
    expect(scheduler.stats.open).toBe(50);
    granted[0]?.permit.release();
    await settle();
    expect(granted).toHaveLength(51);
    expect(scheduler.stats.maxOpen).toBe(50);
  });

  it('does not let one blocked contract hold back another contract', async () => {
    const { granted, acquire } = setup();
    for (let i = 0; i < 6; i++) void acquire(ticket(i, 'A'));
    void acquire(ticket(0, 'B'));
    await settle();
    expect(granted.map((g) => g.ticket.bucket)).toEqual(['A', 'A', 'A', 'A', 'A', 'B']);
  });

  it('divides every window by timeScale', async () => {
    const { clock, granted, acquire } = setup({ timeScale: 100 });
    void acquire(ticket(1));
    void acquire(ticket(1));
    await settle();
    await clock.advance(149);
    expect(granted).toHaveLength(1);
    await clock.advance(1);
    expect(granted.map((g) => g.at)).toEqual([0, 150]);
  });

  it('widens windows by the safety margin', async () => {
    const { clock, granted, acquire, scheduler } = setup({ safetyMargin: { ratio: 0.1, ms: 5 } });
    expect(scheduler.realWindowMs(2_000)).toBe(2_205);
    for (let i = 0; i < 6; i++) void acquire(ticket(i));
    await settle();
    await clock.advance(2_204);
    expect(granted).toHaveLength(5);
    await clock.advance(1);
    expect(granted).toHaveLength(6);
  });

  it('spaces grants by minIntervalMs', async () => {
    const { clock, granted, acquire } = setup({ minIntervalMs: 30 });
    for (let i = 0; i < 3; i++) void acquire(ticket(i, `b${i}`));
    await clock.advance(100);
    expect(granted.map((g) => g.at)).toEqual([0, 30, 60]);
  });

  it('rejects a waiting request with CancelledError when its signal aborts, and lets the rest go on', async () => {
    const { clock, granted, acquire, scheduler } = setup();
    void acquire(ticket(1));
    const controller = new AbortController();
    const waiting = acquire(ticket(1), controller.signal);
    void acquire(ticket(2));
    await settle();
    expect(granted).toHaveLength(2);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    expect(scheduler.stats.waiting).toBe(0);
    await clock.advance(60_000);
    expect(granted).toHaveLength(2);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { acquire } = setup();
    await expect(acquire(ticket(1), AbortSignal.abort())).rejects.toBeInstanceOf(CancelledError);
  });

  it('forgets a revoked grant: it does not count against any rule', async () => {
    const { granted, acquire } = setup();
    const first = await acquire(ticket(1));
    first.revoke();
    await acquire(ticket(1));
    expect(granted.map((g) => g.at)).toEqual([0, 0]);
  });

  it('counts the windows from the actual send once markSent says the request left', async () => {
    const { clock, granted, acquire } = setup();
    const first = await acquire(ticket(1));
    void acquire(ticket(1));
    await clock.advance(500); // the first request waited in the IB library's queue
    first.markSent();
    await clock.advance(14_999);
    expect(granted).toHaveLength(1);
    await clock.advance(500);
    expect(granted.map((g) => g.at)).toEqual([0, 15_500]);
  });

  it('pauses a bucket after a reported violation and counts it', async () => {
    const { clock, granted, acquire, scheduler } = setup();
    scheduler.noteViolation(ticket(0), 1_000);
    scheduler.noteRetry();
    void acquire(ticket(1));
    void acquire(ticket(2, 'other'));
    await settle();
    expect(granted.map((g) => g.ticket.bucket)).toEqual(['other']);
    await clock.advance(1_000);
    expect(granted).toHaveLength(2);
    expect(scheduler.stats).toMatchObject({ violations: 1, retries: 1, granted: 2 });
  });

  it('rejects waiters on dispose', async () => {
    const { acquire, scheduler } = setup();
    void acquire(ticket(1));
    const waiting = acquire(ticket(1));
    await settle();
    scheduler.dispose(new CancelledError('closing'));
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses a non-positive timeScale', () => {
    expect(() => new PacingScheduler({ timeScale: 0 })).toThrow(ValidationError);
  });

  it('never breaks a rule under a random load, while keeping requests in flight', async () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const { clock, acquire, scheduler } = setup({ timeScale: 10 });
    const sends: SendRecord[] = [];
    const all: Array<Promise<void>> = [];
    for (let i = 0; i < 300; i++) {
      const bucket = `sym${Math.floor(random() * 3)}/${random() < 0.1 ? 'BID_ASK' : 'TRADES'}`;
      const t: PacingTicket = {
        identity: `${bucket}#${Math.floor(random() * 120)}`,
        bucket,
        weight: bucket.endsWith('BID_ASK') ? 2 : 1,
      };
      all.push(
        acquire(t).then((permit) => {
          sends.push({ time: clock.now(), bucket: t.bucket, identity: t.identity, weight: t.weight ?? 1 });
          // Each request takes 5-500 ms to answer.
          clock.setTimeout(() => permit.release(), 5 + Math.floor(random() * 495));
        }),
      );
    }
    while (sends.length < 300) await clock.advance(1_000);
    await Promise.all(all);
    expect(pacingViolations(sends, 10)).toEqual([]);
    expect(scheduler.stats.maxOpen).toBeGreaterThan(1);
  });
});

describe('PacingScheduler (off)', () => {
  it('grants everything at once, up to the open-request cap', async () => {
    const { granted, acquire } = setup({ profile: 'off' });
    for (let i = 0; i < 60; i++) void acquire(ticket(1));
    await settle();
    expect(granted).toHaveLength(50);
  });

  it('still waits out a violation IB reported before re-sending to that bucket', async () => {
    const { clock, granted, acquire, scheduler } = setup({ profile: 'off' });
    scheduler.noteViolation(ticket(0), 1_000);
    void acquire(ticket(1));
    await settle();
    expect(granted).toHaveLength(0);
    await clock.advance(1_000);
    expect(granted).toHaveLength(1);
  });
});

describe('PacingScheduler (practical, the default)', () => {
  const minute = (n: number, bucket = 'STK:AAPL@SMART/TRADES'): PacingTicket => ({
    identity: `${bucket}#${n}`,
    bucket,
    barSeconds: 60,
  });

  it('sends 1-minute requests beyond the hard rules, as many as the throttle allows', async () => {
    const { granted, acquire, scheduler } = setup({ throttle: { initialWindow: 8 } });
    // 20 requests for one contract: the strict rules would let 5 go, then one per 2 s...
    for (let i = 0; i < 20; i++) void acquire(minute(i));
    await settle();
    // ...the throttle lets its window go at once, with no 2-second rule.
    expect(granted.map((g) => g.at)).toEqual(new Array(8).fill(0));
    expect(scheduler.stats).toMatchObject({ profile: 'practical', throttleWindow: 8, waiting: 12 });
    // Each answer frees a slot and (slow start) widens the window by one.
    granted[0]?.permit.release('answered');
    await settle();
    expect(granted).toHaveLength(10);
  });

  it('keeps the hard rules for bars of 30 s or less, and for tickets that ask for strict', async () => {
    const { clock, granted, acquire } = setup();
    for (let i = 0; i < 6; i++) void acquire({ ...minute(i), barSeconds: 30 });
    for (let i = 0; i < 6; i++) void acquire({ ...minute(i, 'STK:MSFT@SMART/TRADES'), policy: 'strict' });
    await settle();
    expect(granted).toHaveLength(10);
    await clock.advance(2_000);
    expect(granted).toHaveLength(12);
  });

  it('does not count throttled sends in the hard windows', async () => {
    const { granted, acquire } = setup({ throttle: { initialWindow: 50 } });
    for (let i = 0; i < 45; i++) void acquire(minute(i)).then((p) => p.release('answered'));
    await settle();
    // 45 one-minute requests went out; 30-second ones still have all of IB's 60 per 10 minutes.
    for (let i = 0; i < 5; i++) void acquire({ ...minute(100 + i, 'STK:MSFT@SMART/TRADES'), barSeconds: 30 });
    await settle();
    expect(granted).toHaveLength(50);
  });

  it('plans throttled requests by the window and the measured answer time', async () => {
    const { scheduler } = setup({ throttle: { initialWindow: 4 } });
    const ms = scheduler.estimateCompletionMs({
      count: 52,
      bucket: 'STK:AAPL@SMART/TRADES',
      barSeconds: 60,
      concurrency: 6,
      requestMs: 1_000,
    });
    // 4 in flight (the throttle's window, below the caller's 6): 13 rounds of 1 s.
    expect(ms).toBe(13_000);
    // Under strict, the 61st of 70 requests waits for the first to leave IB's 10-minute window.
    const strict = scheduler.estimateCompletionMs({
      count: 70,
      bucket: 'STK:AAPL@SMART/TRADES',
      barSeconds: 60,
      policy: 'strict',
      concurrency: 6,
      requestMs: 1_000,
    });
    expect(strict).toBeGreaterThan(600_000);
  });
});
