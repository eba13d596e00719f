import type { Timeframe } from '@ktrdr/data';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  DataClient,
  DataLoadSummary,
  KtrdrOperationHandle,
  TrainingClient,
  TrainingSummary,
} from '../src/index';

// Issue #13 item 8: `result_summary` is typed per kind of operation, from the types the data and
// training packages summarise into, so callers (the CLI) read it without casts. Checked by `tsc`.
describe('typed operation summaries', () => {
  it('a load handle gives the load summary: a Timeframe, the segments as the API answers them', () => {
    expectTypeOf<DataClient['load']>().returns.resolves.toEqualTypeOf<
      KtrdrOperationHandle<DataLoadSummary>
    >();
    expectTypeOf<DataLoadSummary['timeframe']>().toEqualTypeOf<Timeframe>();
    expectTypeOf<DataLoadSummary['segments']>().toEqualTypeOf<{
      total: number;
      completed: number;
      failed: number;
      no_data: number;
    }>();
    expectTypeOf<DataLoadSummary['notices']>().toEqualTypeOf<string[] | undefined>();
  });

  it('a training handle gives the training summary', () => {
    expectTypeOf<TrainingClient['start']>().returns.resolves.toEqualTypeOf<
      KtrdrOperationHandle<TrainingSummary>
    >();
    expectTypeOf<TrainingSummary['model']>().toEqualTypeOf<string | null>();
    expectTypeOf<TrainingSummary['simulated']>().toEqualTypeOf<boolean>();
  });
});
