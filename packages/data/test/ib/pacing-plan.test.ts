import { describe, expect, it } from 'vitest';
import { PacingScheduler } from '../../src/ib/pacing-scheduler';
import { FakeClock } from './fake-clock';

const BUCKET = 'STK:AAPL@SMART/TRADES';
const MINUTE = 60_000;
const REQUEST_MS = 1_000;
const CONCURRENCY = 6;

/**
 * Runs a load of `count` one-day 1m requests through `scheduler` as the data manager does (6 in
 * flight, each answered after 1 s), on a fake clock. Returns when it ended and, at each completed
 * request, the scheduler's estimate of the rest.
 */
async function runLoad(clock: FakeClock, scheduler: PacingScheduler, count: number) {
  let next = 0;
  let completed = 0;
  const estimates: Array<{ at: number; completed: number; endsAt: number }> = [];
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      const permit = await scheduler.acquire({ identity: `day#${n}`, bucket: BUCKET });
      await new Promise<void>((resolve) => clock.setTimeout(resolve, REQUEST_MS));
      permit.release();
      completed += 1;
      const remaining = count - completed;
      const ms = scheduler.estimateCompletionMs({
        count: remaining,
        bucket: BUCKET,
        concurrency: CONCURRENCY,
      });
      estimates.push({ at: clock.now(), completed, endsAt: clock.now() + ms });
    }
  };
  const done = Promise.all(Array.from({ length: CONCURRENCY }, worker));
  while (completed < count) await clock.advance(5_000);
  await done;
  const endedAt = Math.max(...estimates.map((e) => e.at));
  return { endedAt, estimates };
}

describe('PacingScheduler.estimateCompletionMs (the ETA of a load)', () => {
  it('plans a 233-request 1m load at about half an hour from a fresh window, as it then takes', async () => {
    const clock = new FakeClock();
    const scheduler = new PacingScheduler({ clock });
    const planned = scheduler.estimateCompletionMs({
      count: 233,
      bucket: BUCKET,
      concurrency: CONCURRENCY,
      requestMs: REQUEST_MS,
    });
    // 60 go at once (5 per 2 s), then 60 per 10 minutes: the 233rd leaves in the 4th window.
    expect(planned).toBeGreaterThan(30 * MINUTE);
    expect(planned).toBeLessThan(32 * MINUTE);

    const { endedAt, estimates } = await runLoad(clock, scheduler, 233);
    expect(Math.abs(planned - endedAt) / endedAt).toBeLessThan(0.01);
    // Mid-load, with requests in flight and waiting, the estimate of the rest still holds.
    for (const estimate of estimates.filter((e) => [30, 100, 200].includes(e.completed))) {
      expect(Math.abs(estimate.endsAt - endedAt) / endedAt).toBeLessThan(0.01);
    }
  });

  it('plans about 40 minutes when the 10-minute window is already full from an earlier load', async () => {
    const clock = new FakeClock();
    const scheduler = new PacingScheduler({ clock });
    await runLoad(clock, scheduler, 60);
    const planned = scheduler.estimateCompletionMs({ count: 233, bucket: BUCKET, concurrency: CONCURRENCY });
    expect(planned).toBeGreaterThan(38 * MINUTE);
    expect(planned).toBeLessThan(42 * MINUTE);
  });

  it('knows nothing is left when nothing is', () => {
    const scheduler = new PacingScheduler({ clock: new FakeClock() });
    expect(scheduler.estimateCompletionMs({ count: 0, bucket: BUCKET })).toBe(0);
  });
});
