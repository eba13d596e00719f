import { defineRoute, defineService, isoDateString } from '@ktrdr/core';
import { z } from 'zod';
import { TIMEFRAMES } from '../domain/timeframes';
import { INSTRUMENT_TYPES } from '../domain/symbols';
import type { WireBar } from './wire-bars';

const timeframe = z.enum(TIMEFRAMES);

/** Longest hold a caller may ask of `POST /data/historical` (`wait_ms`): 10 minutes. */
export const MAX_HISTORICAL_WAIT_MS = 600_000;
const instrumentType = z.enum(INSTRUMENT_TYPES);

/** Schema of a {@link WireBar}: the CSV store's columns, ISO UTC date. */
export const wireBarSchema = z.object({
  date: z.string(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
}) satisfies z.ZodType<WireBar>;

/** Facts about an instrument, from the broker's contract details (Python KTRDR's `contract_info`). */
export const contractInfoSchema = z.object({
  symbol: z.string(),
  asset_type: instrumentType,
  exchange: z.string(),
  currency: z.string(),
  description: z.string(),
  time_zone: z.string().optional(),
  trading_hours: z.string().optional(),
  liquid_hours: z.string().optional(),
  con_id: z.number().optional(),
  head_timestamp: z.string().nullable().optional(),
  /** True when the instrument comes from the ktrdr IB simulator, not a real broker. */
  simulated: z.boolean(),
});

/** {@link contractInfoSchema} as a type. */
export type ContractInfo = z.infer<typeof contractInfoSchema>;

/** One contract a symbol search found (IB's SYMBOL_SAMPLES entry). */
export const symbolMatchSchema = z.object({
  symbol: z.string(),
  /** IB security type: `STK`, `CASH`, `FUT`, `CRYPTO` ... */
  sec_type: z.string(),
  primary_exchange: z.string(),
  currency: z.string(),
  con_id: z.number(),
  description: z.string(),
  derivative_sec_types: z.array(z.string()),
});

/** {@link symbolMatchSchema} as a type. */
export type SymbolMatch = z.infer<typeof symbolMatchSchema>;

/**
 * The IB host service's routes, as the Python KTRDR IB host service exposed them, except that
 * failures answer with real HTTP status codes and a serialised ktrdr error instead of 200 with
 * `success: false`.
 */
export const ibHostContract = defineService('IB host service', {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    input: z.object({}),
    output: z.object({
      healthy: z.boolean(),
      /** `degraded` while the gateway is down (optional: Python hosts do not send it). */
      status: z.enum(['ok', 'degraded']).optional(),
      /** Whether the service reaches its gateway (optional: Python hosts do not send it). */
      gateway: z.enum(['up', 'down']).optional(),
      service: z.string(),
      timestamp: z.string(),
      source: z.string(),
      simulated: z.boolean(),
      ib_status: z.object({ connected: z.boolean(), connection_count: z.number() }).passthrough(),
    }),
    description: 'Health of the service and of its gateway connection.',
  }),
  historical: defineRoute({
    method: 'POST',
    path: '/data/historical',
    // Fetching is a read: safe to retry.
    idempotent: true,
    input: z.object({
      symbol: z.string().min(1),
      timeframe,
      start: isoDateString,
      end: isoDateString,
      instrument_type: instrumentType.optional(),
      /**
       * Longest wait for the answer, ms. Past it the service answers 429 with `details.pending`
       * and a `fetchId` instead: it is still waiting (for IB's pacing or IB's answer) and keeps the
       * request's place. Without it the call waits until the bars are in (the Python behaviour).
       */
      wait_ms: z.number().int().positive().max(MAX_HISTORICAL_WAIT_MS).optional(),
      /** Collects the fetch an earlier "still waiting" answer named. */
      fetch_id: z.string().min(1).max(64).optional(),
      /** Pacing policy of the load (`strict` or `practical`); default: the service's own. */
      pacing: z.enum(['strict', 'practical']).optional(),
    }),
    output: z.object({
      success: z.literal(true),
      data: z.array(wireBarSchema),
      rows: z.number(),
      error: z.null(),
      simulated: z.boolean(),
    }),
    description: 'Bars of one symbol and timeframe in [start, end).',
  }),
  validate: defineRoute({
    method: 'POST',
    path: '/data/validate',
    idempotent: true,
    input: z.object({
      symbol: z.string().min(1),
      timeframes: z.array(timeframe).optional(),
      /** Looks the symbol up as this type only (a symbol can be a stock and a future). */
      instrument_type: instrumentType.optional(),
    }),
    output: z.object({
      success: z.literal(true),
      is_valid: z.boolean(),
      error_message: z.string().nullable(),
      contract_info: contractInfoSchema.nullable(),
      head_timestamps: z.record(z.string(), z.string().nullable()),
    }),
    description: 'Whether the broker knows a symbol, its contract info and head timestamps.',
  }),
  symbolInfo: defineRoute({
    method: 'GET',
    path: '/data/symbol-info/:symbol',
    input: z.object({ symbol: z.string().min(1) }),
    output: z.object({ success: z.literal(true), symbol: z.string(), contract_info: contractInfoSchema }),
    description: 'Contract info of one symbol.',
  }),
  headTimestamp: defineRoute({
    method: 'GET',
    path: '/data/head-timestamp',
    input: z.object({
      symbol: z.string().min(1),
      timeframe: timeframe.optional(),
      instrument_type: instrumentType.optional(),
    }),
    output: z.object({ success: z.literal(true), symbol: z.string(), timestamp: z.string().nullable() }),
    description: 'Earliest date the broker has data for.',
  }),
  search: defineRoute({
    method: 'GET',
    path: '/data/search',
    input: z.object({ pattern: z.string().trim().min(1).max(64) }),
    output: z.object({
      success: z.literal(true),
      pattern: z.string(),
      matches: z.array(symbolMatchSchema),
      simulated: z.boolean(),
    }),
    description: "The broker's symbol search: contracts whose symbol or name matches a pattern.",
  }),
});

/** The IB host service contract's type. */
export type IbHostContract = typeof ibHostContract;
