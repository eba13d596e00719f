import { defineRoute, defineService, isoDateString, operationInfoSchema } from '@ktrdr/core';
import { z } from 'zod';
import { INSTRUMENT_TYPES } from '../domain/symbols';
import { TIMEFRAMES } from '../domain/timeframes';
import { wireBarSchema } from '../host-service/ib-host-contract';

const optionalDate = isoDateString.optional();
/** A timeframe in an answer: always one of {@link TIMEFRAMES} (requests are checked by `parseTimeframe`). */
const timeframeSchema = z.enum(TIMEFRAMES);

const seriesSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  simulated: z.boolean(),
  rows: z.number(),
  start: z.string().nullable(),
  end: z.string().nullable(),
});

/**
 * The data routes of the backend API (`/api/v1/...`), as the Python KTRDR API shaped them: bars come
 * with named `open/high/low/close/volume` fields, loads start operations, and every answer that
 * holds bars says whether they are simulated.
 */
export const dataApiContract = defineService('ktrdr API (data)', {
  symbols: defineRoute({
    method: 'GET',
    path: '/symbols',
    input: z.object({}),
    output: z.object({
      success: z.literal(true),
      data: z.array(
        z.object({
          symbol: z.string(),
          timeframes: z.array(timeframeSchema),
          simulated: z.boolean(),
          series: z.array(seriesSchema),
        }),
      ),
    }),
  }),
  timeframes: defineRoute({
    method: 'GET',
    path: '/timeframes',
    input: z.object({}),
    output: z.object({
      success: z.literal(true),
      data: z.array(
        z.object({
          timeframe: timeframeSchema,
          ms: z.number(),
          ibBarSize: z.string(),
          maxRequestDays: z.number(),
        }),
      ),
    }),
  }),
  bars: defineRoute({
    method: 'GET',
    path: '/data/:symbol/:timeframe',
    input: z.object({
      symbol: z.string().min(1),
      timeframe: z.string().min(1),
      start: optionalDate,
      end: optionalDate,
      /** Aliases the Python API used. */
      start_date: optionalDate,
      end_date: optionalDate,
      /** Only the last `limit` bars. */
      limit: z.coerce.number().int().positive().optional(),
    }),
    output: z.object({
      success: z.literal(true),
      symbol: z.string(),
      timeframe: timeframeSchema,
      simulated: z.boolean(),
      rows: z.number(),
      data: z.array(wireBarSchema),
      /** What the store worked around, such as a torn last row left out (file relative to the data folder). */
      warnings: z
        .array(
          z.object({ code: z.enum(['torn_row']), file: z.string(), line: z.number(), message: z.string() }),
        )
        .optional(),
    }),
  }),
  load: defineRoute({
    method: 'POST',
    path: '/data/load',
    input: z.object({
      symbol: z.string().min(1),
      timeframe: z.string().min(1),
      mode: z.enum(['local', 'tail', 'backfill', 'full']).default('tail'),
      start_date: optionalDate.nullable(),
      end_date: optionalDate.nullable(),
      instrument_type: z.enum(INSTRUMENT_TYPES).optional(),
      /** Ask IB again for ranges it recently answered with "no data" (default false). */
      refetch_empty: z.boolean().optional(),
      /** Pacing policy, `practical` or `strict` (default: the server's `KTRDR_IB_PACING`). */
      pacing: z.enum(['practical', 'strict']).optional(),
    }),
    output: z.object({
      success: z.literal(true),
      operation_id: z.string(),
      status: z.string(),
      data: operationInfoSchema,
    }),
    description: 'Starts a load operation and answers with its id at once.',
  }),
  range: defineRoute({
    method: 'POST',
    path: '/data/range',
    idempotent: true,
    input: z.object({ symbol: z.string().min(1), timeframe: z.string().min(1) }),
    output: z.object({
      success: z.literal(true),
      data: z.object({
        symbol: z.string(),
        timeframe: timeframeSchema,
        start: z.string(),
        end: z.string(),
        rows: z.number(),
        simulated: z.boolean(),
      }),
    }),
  }),
});

/** The data API contract's type. */
export type DataApiContract = typeof dataApiContract;
