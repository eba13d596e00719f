/**
 * The practical mode's model of IB for bars over 30 s: no hard pacing, a soft slowdown that grows
 * with the request rate and the bars per request, IB's step-size table and the practical duration
 * cap (162, or no answer at all). Driven by the unmodified IBApi client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IbErrorText } from '../src/index';
import { DEFAULT_SOFT_PACING, SoftPacing } from '../src/server/soft-pacing';
import { AAPL, requestBars, TestRig } from './helpers/ib-clients';

const rig = new TestRig();
afterEach(() => rig.cleanup());

describe('SoftPacing (the model)', () => {
  it('prices bars and the requests beyond the free ones in the trailing window, scaled', () => {
    let now = 0;
    const model = { ...DEFAULT_SOFT_PACING, freeRequests: 2, perRequestMs: 100, perBarMs: 0.01 };
    const soft = new SoftPacing(model, 1, () => now);
    expect(soft.admit(1_000)).toBe(10); // bars only
    expect(soft.admit(0)).toBe(0);
    expect(soft.admit(0)).toBe(100); // the third in the window
    expect(soft.admit(0)).toBe(200);
    now += model.windowMs; // the window has passed
    expect(soft.admit(0)).toBe(0);
    const fast = new SoftPacing(model, 10, () => now);
    expect(fast.admit(1_000)).toBe(1); // simulated time: divided by the time scale
  });
});

describe('practical mode (the default) for bars over 30 s', () => {
  it('answers a burst of 1-minute requests for one contract without any pacing violation, slower and slower', async () => {
    const sim = await rig.simulator({ latencyMs: 5, softPacing: { freeRequests: 4, perRequestMs: 40 } });
    const client = await rig.connectApi(sim, 1);
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        requestBars(client, 100 + i, AAPL, {
          end: `202403${String(4 + (i % 5)).padStart(2, '0')} 16:00:00 US/Eastern`,
          duration: '1 D',
          barSize: '1 min',
        }).then((result) => ({ result, at: Date.now() - started })),
      ),
    );
    expect(results.every(({ result }) => result.ok)).toBe(true);
    expect(sim.stats.pacingViolations).toBe(0);
    expect(sim.stats.softPacedRequests).toBe(12);
    // 8 requests beyond the 4 free ones: 40 + 80 + ... + 320 ms of extra latency.
    expect(sim.stats.softDelayMs).toBeGreaterThan(1_400);
    const times = results.map(({ at }) => at);
    expect(Math.max(...times)).toBeGreaterThan(Math.min(...times) + 200);
  });

  it('keeps the hard rules for 30-second bars', async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        requestBars(client, 200 + i, AAPL, {
          end: '20240314 16:00:00 US/Eastern',
          duration: `${3600 * (i + 1)} S`,
          barSize: '30 secs',
        }),
      ),
    );
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    expect(sim.stats.violationsByRule['same-contract-burst']).toBe(1);
    expect(sim.stats.softPacedRequests).toBe(0);
  });

  it("enforces IB's step-size table too: seconds stop at 86400 S", async () => {
    const sim = await rig.simulator();
    const client = await rig.connectApi(sim, 1);
    const refused = await requestBars(client, 300, AAPL, { duration: '90000 S', barSize: '1 min' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 162, message: IbErrorText.timeLengthExceeded },
    });
  });

  it("with durationOverrun 'timeout', leaves a request over the practical cap unanswered, as gateways do", async () => {
    const sim = await rig.simulator({ durationOverrun: 'timeout' });
    const client = await rig.connectApi(sim, 1);
    await expect(requestBars(client, 400, AAPL, { duration: '6 D', barSize: '1 min' }, 500)).rejects.toThrow(
      /No answer/,
    );
    expect(sim.stats).toMatchObject({ durationViolations: 1, durationTimeouts: 1 });
    // Within the cap it answers.
    expect((await requestBars(client, 401, AAPL, { duration: '5 D', barSize: '1 min' })).ok).toBe(true);
  });
});
