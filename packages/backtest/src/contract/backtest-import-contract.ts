import { defineRoute, defineService } from '@ktrdr/core';
import { z } from 'zod';
import { backtestBundleSchema } from '../storage/backtest-import';
import { backtestSummarySchema } from './backtest-schemas';

/**
 * `POST /backtests/import`: how a queue worker that does not share the API's backtests folder hands
 * a finished backtest's files back. A service of its own, so that the API can accept a larger body
 * for it than for its other routes (a year of minute bars is an equity curve of several MB).
 */
export const backtestImportContract = defineService('ktrdr API (backtest import)', {
  importBacktest: defineRoute({
    method: 'POST',
    path: '/backtests/import',
    idempotent: true,
    input: backtestBundleSchema,
    output: z.object({ success: z.literal(true), data: backtestSummarySchema }),
    description:
      'Stores a backtest computed elsewhere (its metrics.json, trades.json and equity.csv) under its id; importing the same id again answers the stored one.',
  }),
});

/** The backtest import contract's type. */
export type BacktestImportContract = typeof backtestImportContract;
