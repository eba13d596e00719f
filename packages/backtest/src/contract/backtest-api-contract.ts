import { defineRoute, defineService, operationInfoSchema } from '@ktrdr/core';
import { z } from 'zod';
import {
  backtestDetailSchema,
  backtestListSchema,
  backtestRequestSchema,
  backtestShowInputSchema,
} from './backtest-schemas';

/** The backtest routes of the backend API (`/api/v1/backtests...`): start as an operation, list, show. */
export const backtestApiContract = defineService('ktrdr API (backtests)', {
  start: defineRoute({
    method: 'POST',
    path: '/backtests',
    input: backtestRequestSchema,
    output: z.object({
      success: z.literal(true),
      operation_id: z.string(),
      status: z.string(),
      data: operationInfoSchema,
    }),
    description:
      'Starts a backtest operation (type `backtest`) and answers with its id at once; its result summary is the backtest.',
  }),
  list: defineRoute({
    method: 'GET',
    path: '/backtests',
    input: z.object({}),
    output: z.object({ success: z.literal(true), data: backtestListSchema }),
  }),
  show: defineRoute({
    method: 'GET',
    path: '/backtests/:backtest_id',
    input: backtestShowInputSchema,
    output: z.object({ success: z.literal(true), data: backtestDetailSchema }),
    description:
      'One stored backtest: metrics, buy-and-hold, trades and the equity curve (`points` at most).',
  }),
});

/** The backtest API contract's type. */
export type BacktestApiContract = typeof backtestApiContract;
