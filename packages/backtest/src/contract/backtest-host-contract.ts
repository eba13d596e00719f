import { defineRoute, defineService } from '@ktrdr/core';
import { z } from 'zod';
import {
  backtestDetailSchema,
  backtestListSchema,
  backtestRequestSchema,
  backtestShowInputSchema,
  backtestSummarySchema,
} from './backtest-schemas';

/**
 * Where backtests run (the backtest host service): next to the models and the bars, in this
 * process or on a training host. `run` streams its progress and stops when the caller cancels or
 * disconnects.
 */
export const backtestHostContract = defineService('Backtest host service', {
  health: defineRoute({
    method: 'GET',
    path: '/backtests/health',
    input: z.object({}),
    output: z.object({ healthy: z.boolean(), service: z.string(), running: z.number() }),
  }),
  run: defineRoute({
    method: 'POST',
    path: '/backtests/run',
    input: backtestRequestSchema,
    output: backtestSummarySchema,
    description:
      'Runs a backtest to its end, reporting progress when asked, and stores its trades, equity curve and metrics.',
  }),
  list: defineRoute({
    method: 'GET',
    path: '/backtests',
    input: z.object({}),
    output: backtestListSchema,
  }),
  show: defineRoute({
    method: 'GET',
    path: '/backtests/:backtest_id',
    input: backtestShowInputSchema,
    output: backtestDetailSchema,
  }),
});

/** The backtest host contract's type. */
export type BacktestHostContract = typeof backtestHostContract;
