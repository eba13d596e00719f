import { ValidationError } from '@ktrdr/core';
import { z } from 'zod';
import { backtestSummarySchema, tradeSchema } from '../contract/backtest-schemas';
import { validateBacktestId } from './backtest-id';
import { BACKTEST_FILES, parseEquityCsv } from './backtest-files';
import type { StoredBacktest } from './backtest-store';

/**
 * A stored backtest as it travels from a worker to the API (`POST /backtests/import`): the texts
 * of its `metrics.json`, `trades.json` and `equity.csv`, as `BacktestStore` wrote them.
 */
export const backtestBundleSchema = z.object({
  backtest_id: z.string().min(1).max(80),
  files: z.object({
    [BACKTEST_FILES.metrics]: z.string(),
    [BACKTEST_FILES.tradesJson]: z.string(),
    [BACKTEST_FILES.equity]: z.string(),
  }),
});

/** {@link backtestBundleSchema} as a type. */
export type BacktestBundle = z.infer<typeof backtestBundleSchema>;

/** The files a {@link BacktestBundle} carries, in the order they are read. */
export const BACKTEST_BUNDLE_FILES = [
  BACKTEST_FILES.metrics,
  BACKTEST_FILES.tradesJson,
  BACKTEST_FILES.equity,
] as const;

function parsed<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError(`${file} of the imported backtest is not valid JSON`, { details: { file } });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ValidationError(`${file} of the imported backtest does not match its format`, {
      details: { file, issues: result.error.issues.slice(0, 5).map((issue) => issue.message) },
    });
  }
  return result.data;
}

/**
 * Checks a {@link BacktestBundle} and turns it back into what `BacktestStore.save` writes: the id is
 * a backtest id and the summary's, the summary and trades match their schemas, and the equity curve
 * has one point per bar of the summary.
 * @throws ValidationError naming the first problem.
 */
export function parseBacktestBundle(bundle: BacktestBundle): StoredBacktest {
  const id = validateBacktestId(bundle.backtest_id);
  const summary = parsed(backtestSummarySchema, bundle.files[BACKTEST_FILES.metrics], BACKTEST_FILES.metrics);
  if (summary.backtest_id !== id) {
    throw new ValidationError(`${BACKTEST_FILES.metrics} names backtest ${summary.backtest_id}, not ${id}`, {
      details: { field: 'backtest_id' },
    });
  }
  const { trades } = parsed(
    z.object({ trades: z.array(tradeSchema) }),
    bundle.files[BACKTEST_FILES.tradesJson],
    BACKTEST_FILES.tradesJson,
  );
  const curve = parseEquityCsv(bundle.files[BACKTEST_FILES.equity]);
  if (curve.time.length !== summary.bars) {
    throw new ValidationError(
      `${BACKTEST_FILES.equity} of the imported backtest is damaged: ${curve.time.length} points for ${summary.bars} bars`,
      { details: { file: BACKTEST_FILES.equity } },
    );
  }
  return { summary, trades, curve };
}
