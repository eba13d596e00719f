import type { OperationProgress } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { formatIsoUtc } from '../src/domain/dates';
import { withPacingEta } from '../src/manager/load-eta';

const step = (done: number): OperationProgress => ({
  percentage: done * 10,
  current_step: 'fetch',
  steps_completed: done,
  steps_total: 10,
});
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('withPacingEta', () => {
  it('asks again at the next update when the first estimate is not known yet', async () => {
    let now = 1_700_000_000_000;
    const answers: Array<number | undefined> = [undefined, 5_000];
    const asked: number[] = [];
    const seen: OperationProgress[] = [];
    const eta = withPacingEta((progress) => seen.push(progress), {
      now: () => now,
      estimate: async (remaining) => {
        asked.push(remaining);
        return answers.shift();
      },
    });
    eta.report(step(0));
    await flush();
    now += 10; // well within the 1 s between estimates
    eta.report(step(1));
    await flush();
    now += 10;
    eta.report(step(2));
    expect(asked).toEqual([10, 9]);
    expect(seen.map((p) => p.estimated_completion)).toEqual([
      undefined,
      undefined,
      formatIsoUtc(1_700_000_000_010 + 5_000),
    ]);
  });

  it('asks at most once a second while estimates are known', async () => {
    let now = 0;
    const asked: number[] = [];
    const eta = withPacingEta(() => undefined, {
      now: () => now,
      estimate: async (remaining) => {
        asked.push(remaining);
        return 1_000;
      },
    });
    for (let done = 0; done < 5; done++) {
      eta.report(step(done));
      await flush();
      now += 300;
    }
    expect(asked).toEqual([10, 6]);
  });
});
