import { isoDateString } from '@ktrdr/core';
import { z } from 'zod';

/** Settings of one run, as the API takes them (every field optional: see docs/guides/backtesting.md). */
export const backtestSettingsSchema = z.object({
  capital: z.number().positive().optional(),
  position_fraction: z.number().gt(0).lte(1).optional(),
  units: z.enum(['whole', 'fractional']).optional(),
  commission: z.number().min(0).lt(0.1).optional(),
  slippage: z.number().min(0).lt(0.1).optional(),
  allow_short: z.boolean().optional(),
  confidence_threshold: z.number().min(0).max(1).optional(),
  /** Hours. */
  min_signal_separation: z.number().min(0).optional(),
});

/** What a backtest runs: a model over a symbol's stored bars between two dates. */
export const backtestRequestSchema = z.object({
  /** A model name as `ktrdr models list` shows it (`strategy/SYMBOL_tf_vN`, or without `_vN` for the latest). */
  model: z.string().min(1).max(200),
  symbol: z.string().min(1).max(40),
  /** Default: the model's (base) timeframe; naming another one is refused. */
  timeframe: z.string().min(1).max(8).optional(),
  start_date: isoDateString,
  /** Exclusive; default: the last stored bar. */
  end_date: isoDateString.optional(),
  settings: backtestSettingsSchema.optional(),
  /** `standard` (default) or `ktrdr` (Python KTRDR's formulas). */
  metrics_mode: z.enum(['standard', 'ktrdr']).optional(),
  /** Annual risk-free rate as a fraction, `standard` mode only (default 0). */
  risk_free_rate: z.number().min(-0.5).max(1).optional(),
  /** What runs the model (default `onnx`, or the built-in engine without onnxruntime-node). */
  runtime: z.enum(['onnx', 'fused', 'tfjs']).optional(),
});

/** {@link backtestRequestSchema} as a type (what goes in). */
export type BacktestRequestInput = z.input<typeof backtestRequestSchema>;

/** A checked {@link BacktestRequestInput}. */
export type BacktestRequest = z.output<typeof backtestRequestSchema>;

/** Metric values: numbers, null where a formula gives none, the mode's name. */
const metricsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

/** A stored backtest as listed, and the result of a backtest operation. */
export const backtestSummarySchema = z.object({
  backtest_id: z.string(),
  created_at: z.string(),
  model: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  /** The first and last bar of the range (ISO 8601 UTC). */
  start_date: z.string(),
  end_date: z.string(),
  bars: z.number(),
  /** True when the bars came from the IB simulator: not market data. */
  simulated: z.boolean(),
  runtime: z.string(),
  metrics_mode: z.enum(['standard', 'ktrdr']),
  settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  metrics: metricsSchema,
  /** The same metrics for buying and holding the same bars. */
  buy_and_hold: metricsSchema,
  /** Signals per class in the range, and those the rules set aside. */
  signals: z.record(z.string(), z.number()),
  /** What the caller should know: overlap with the training range, missing history... */
  warnings: z.array(z.string()),
  duration_ms: z.number(),
});

/** {@link backtestSummarySchema} as a type. */
export type BacktestSummary = z.infer<typeof backtestSummarySchema>;

/** One trade as stored and answered. */
export const tradeSchema = z.object({
  side: z.enum(['long', 'short']),
  entry_time: z.string(),
  entry_price: z.number(),
  exit_time: z.string(),
  exit_price: z.number(),
  quantity: z.number(),
  pnl: z.number(),
  return_pct: z.number(),
  commission: z.number(),
  bars: z.number(),
  holding_hours: z.number(),
  exit_reason: z.enum(['signal', 'end']),
});

/** A stored backtest in full: its trades and its equity curve (resampled to at most `points`). */
export const backtestDetailSchema = backtestSummarySchema.extend({
  trades: z.array(tradeSchema),
  equity: z.object({
    /** Points in the stored curve (one per bar); the arrays below hold at most the asked number. */
    total_points: z.number(),
    dates: z.array(z.string()),
    equity: z.array(z.number()),
    buy_and_hold: z.array(z.number()),
    position: z.array(z.number()),
  }),
});

/** {@link backtestDetailSchema} as a type. */
export type BacktestDetail = z.infer<typeof backtestDetailSchema>;

/** Stored backtests, and the folders left out because they are damaged. */
export const backtestListSchema = z.object({
  backtests: z.array(backtestSummarySchema),
  problems: z.array(z.object({ backtest_id: z.string(), message: z.string() })),
});

/** Input of `show`: the id and how many curve points to answer (default 500). */
export const backtestShowInputSchema = z.object({
  backtest_id: z.string().min(1).max(80),
  points: z.coerce.number().int().min(2).max(1_000_000).default(500),
});
