import type { OperationProgress } from '@ktrdr/core';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataService } from '../../src/service/data-service';
import { Closer, configFor, ibAdapter, simulator, tempDir } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

// Slower than the other chain tests' scale: the first 60 requests must fit in one window even on a
// loaded machine, or no request ever waits and the plan has no window to foresee.
const TIME_SCALE = 50;
/** IB's 10-minute window at this test's time scale. */
const WINDOW_MS = 600_000 / TIME_SCALE;

describe('the ETA of a load', () => {
  it("comes from the pacing scheduler's plan: past the first 60 requests it includes the next window", async () => {
    const sim = await simulator(closer, { latencyMs: 20, timeScale: TIME_SCALE });
    // Strict: its plan is IB's 60-per-10-minutes rule (practical's plan has its own test).
    const config = configFor(sim, join(await tempDir(closer), 'data'), 'strict');
    const data = closer.add(
      new DataService({
        config,
        adapter: ibAdapter(closer, config.ib, { pacing: { timeScale: TIME_SCALE } }),
        manager: { retryBaseMs: 20 },
      }),
      (s) => s.close(),
    );
    // About 67 trading days of 1-minute bars: one request each, 7 more than one window allows.
    const handle = await data.loadData({
      symbol: 'AAPL',
      timeframe: '1m',
      start: '2024-01-02',
      end: '2024-04-10',
    });
    const seen: Array<{ at: number; progress: OperationProgress }> = [];
    handle.on('progress', (progress) => seen.push({ at: Date.now(), progress }));
    const result = await handle.result();
    const endedAt = Date.now();

    expect(result.segments.total).toBeGreaterThan(60);
    const withEta = seen.filter((s) => s.progress.estimated_completion !== undefined);
    expect(withEta.length).toBeGreaterThan(0);
    const first = withEta[0] as { at: number; progress: OperationProgress };
    expect(first.progress.steps_completed).toBeLessThan(30);
    // An extrapolation from the first segments would say a second or so; the plan knows the 61st
    // request waits for the first to leave the 10-minute window.
    const ahead = Date.parse(first.progress.estimated_completion as string) - first.at;
    expect(ahead).toBeGreaterThan(0.8 * WINDOW_MS);
    expect(endedAt - first.at).toBeGreaterThan(0.8 * WINDOW_MS);
    // Progress stays one event per finished segment.
    expect(
      seen.filter((s) => s.progress.current_step === 'fetch' && s.progress.current_item !== undefined),
    ).toHaveLength(result.segments.total);
  }, 60_000);
});
