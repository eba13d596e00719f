import { CancelledError, NotFoundError, ValidationError, parseInput } from '@ktrdr/core';
import {
  TIMEFRAME_SPECS,
  detectInstrumentType,
  formatIsoUtc,
  parseSymbol,
  parseTimeframe,
} from '@ktrdr/data';
import {
  type FeatureInput,
  type LoadedModel,
  type ModelStore,
  type OhlcvColumns,
  type TimeframeSeries,
  formatModelName,
  parseModelName,
} from '@ktrdr/training';
import {
  type BacktestRequest,
  type BacktestRequestInput,
  type BacktestSummary,
  backtestRequestSchema,
} from '../contract/backtest-schemas';
import { type StrategyDecisions, resolveSettings, settingsJson } from '../engine/backtest-settings';
import { evaluate } from '../engine/evaluate';
import { featureSpecOf, modelSignals } from '../engine/model-signals';
import type { BacktestMetrics } from '../metrics/compute-metrics';
import { periodsPerYear, tradingYearOf } from '../metrics/periods-per-year';
import { createBacktestId, validateBacktestId } from '../storage/backtest-id';
import { tradeJson } from '../storage/backtest-files';
import type { BacktestStore, StoredBacktest } from '../storage/backtest-store';
import type { BacktestDetail } from '../contract/backtest-schemas';

/** Bars of one series, from the data store: `start` inclusive, `end` exclusive (epoch ms). */
export type LoadBacktestBars = (request: {
  symbol: string;
  timeframe: string;
  start?: number;
  end?: number;
}) => Promise<{ symbol: string; columns: OhlcvColumns; simulated: boolean }>;

/** Progress of a run: percentage and the step it is at. */
export interface BacktestProgress {
  percentage: number;
  step: string;
  bars?: number;
}

/** Options of {@link BacktestRunner}. */
export interface BacktestRunnerOptions {
  models: ModelStore;
  store: BacktestStore;
  loadBars: LoadBacktestBars;
}

/**
 * History read before the range, per warm-up bar of the features, and at least: recursive
 * indicators (EMA, Wilder's RSI) need it to converge to what training computed on the full series.
 */
const HISTORY_PER_WARMUP_BAR = 20;
const MIN_HISTORY_BARS = 1000;
/** Calendar time per bar time to read that history: a stock trades 6.5 of 24 hours, 5 of 7 days. */
const CALENDAR_PER_BAR_TIME = 5.5;

/** First index of a sorted array whose value is at least `value`. */
function lowerBound(values: Float64Array, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function slice(bars: OhlcvColumns, from: number, to: number): OhlcvColumns {
  return {
    time: bars.time.subarray(from, to),
    open: bars.open.subarray(from, to),
    high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to),
    close: bars.close.subarray(from, to),
    volume: bars.volume.subarray(from, to),
  };
}

/** A metrics record as the API answers it. */
function metricsRecord(metrics: BacktestMetrics): Record<string, number | string | null> {
  return { ...metrics };
}

/**
 * Runs backtests where the models and the bars are: loads the model and the bars (with history
 * before the range for the indicators), computes every signal in one batch, simulates, measures,
 * and stores the result. What the backtest host service serves.
 */
export class BacktestRunner {
  private runningCount = 0;

  constructor(private readonly options: BacktestRunnerOptions) {}

  /** Backtests running now. */
  get running(): number {
    return this.runningCount;
  }

  /**
   * Runs one backtest to its end and stores it.
   * @throws ValidationError for a bad request (unknown timeframe, empty range...); NotFoundError
   *   for a missing model or series; CancelledError when `signal` aborts.
   */
  async run(
    input: BacktestRequestInput,
    context: { signal?: AbortSignal; onProgress?: (progress: BacktestProgress) => void } = {},
  ): Promise<BacktestSummary> {
    this.runningCount++;
    try {
      return await this.runOnce(parseInput(backtestRequestSchema, input, 'backtest request'), context);
    } finally {
      this.runningCount--;
    }
  }

  private async runOnce(
    request: BacktestRequest,
    context: { signal?: AbortSignal; onProgress?: (progress: BacktestProgress) => void },
  ): Promise<BacktestSummary> {
    const startedAt = Date.now();
    const report = (percentage: number, step: string, bars?: number) => {
      if (context.signal?.aborted) throw new CancelledError('Backtest cancelled', { details: { step } });
      context.onProgress?.({ percentage, step, ...(bars === undefined ? {} : { bars }) });
    };
    report(0, 'Loading the model');
    const ref = parseModelName(request.model);
    const model = await this.options.models.load(ref.key, ref.version);
    const modelName = formatModelName(model.key, model.version);
    const spec = featureSpecOf(model);
    const timeframe = backtestTimeframe(model, request.timeframe);
    const barMs = spec.timeframes?.[0]?.barMs ?? TIMEFRAME_SPECS[timeframe].ms;
    const start = Date.parse(request.start_date);
    const end = request.end_date === undefined ? undefined : Date.parse(request.end_date);
    if (end !== undefined && end <= start) {
      throw new ValidationError(
        `end_date ${request.end_date} is not after start_date ${request.start_date}`,
        {
          details: { field: 'end_date' },
        },
      );
    }
    const symbol = parseSymbol(request.symbol);
    const history = Math.max(MIN_HISTORY_BARS, spec.warmupBars * HISTORY_PER_WARMUP_BAR);
    const readFrom = start - history * barMs * CALENDAR_PER_BAR_TIME;

    report(5, 'Loading bars');
    const loaded = await this.options.loadBars({ symbol, timeframe, start: readFrom, end });
    const all = loaded.columns;
    const first = lowerBound(all.time, start);
    const stop = end === undefined ? all.time.length : lowerBound(all.time, end);
    const rangeBars = stop - first;
    if (rangeBars < 2) {
      throw new NotFoundError(
        `${rangeBars === 0 ? 'No' : 'Only one'} ${timeframe} bar of ${symbol} stored from ${request.start_date}${request.end_date === undefined ? '' : ` to ${request.end_date}`}: load the range first (ktrdr data load ${symbol} -t ${timeframe} --start ...)`,
        { details: { field: 'start_date', symbol, timeframe } },
      );
    }
    const from = Math.max(0, first - history);
    const bars = slice(all, from, stop);
    const rangeFirst = first - from;
    const warnings: string[] = [];
    let simulated = loaded.simulated;
    if (all.time[first]! - start > 7 * 86_400_000) {
      warnings.push(`The stored bars begin at ${formatIsoUtc(all.time[first]!)}, after the requested start`);
    }
    let input: FeatureInput = bars;
    if (spec.timeframes !== undefined) {
      const series: TimeframeSeries[] = [{ timeframe, barMs, bars }];
      for (const part of spec.timeframes.slice(1)) {
        const other = await this.options.loadBars({
          symbol,
          timeframe: part.timeframe,
          start: bars.time[0]! - history * part.barMs,
          end,
        });
        simulated ||= other.simulated;
        series.push({ timeframe: part.timeframe, barMs: part.barMs, bars: other.columns });
      }
      input = series;
    }

    report(20, 'Computing features and signals', bars.time.length);
    const signals = await modelSignals(model, input, bars.time.length, {
      symbol: loaded.symbol,
      runtime: request.runtime,
    });
    const missing = countMissing(signals.classes, rangeFirst);
    if (missing > 0) {
      warnings.push(
        `${missing} bars of the range have no complete features (too little history before them): no decision there`,
      );
    }

    report(70, 'Simulating trades', rangeBars);
    const decisions = (model.config['strategy_config'] as { decisions?: StrategyDecisions } | null)
      ?.decisions;
    const settings = resolveSettings(request.settings, decisions, {
      forex: detectInstrumentType(symbol) === 'CASH',
    });
    const mode = request.metrics_mode ?? 'standard';
    const evaluation = evaluate({ ...bars, barMs }, signals, rangeFirst, settings, {
      mode,
      periodsPerYear: periodsPerYear(barMs, tradingYearOf(detectInstrumentType(symbol))),
      riskFreeRate: request.risk_free_rate,
    });
    const rangeStart = bars.time[rangeFirst]!;
    const rangeEnd = bars.time[bars.time.length - 1]!;
    const overlap = trainingOverlap(model, rangeStart, rangeEnd + barMs);
    if (overlap !== undefined) warnings.push(overlap);

    report(90, 'Saving the results');
    const { simulation } = evaluation;
    const summary: BacktestSummary = {
      backtest_id: createBacktestId(),
      created_at: new Date().toISOString(),
      model: modelName,
      symbol: loaded.symbol,
      timeframe,
      start_date: formatIsoUtc(rangeStart),
      end_date: formatIsoUtc(rangeEnd),
      bars: rangeBars,
      simulated,
      runtime: signals.runtime,
      metrics_mode: mode,
      settings: settingsJson(settings),
      metrics: metricsRecord(evaluation.metrics),
      buy_and_hold: metricsRecord(evaluation.baseline),
      signals: {
        ...signalCounts(signals.classes, rangeFirst),
        low_confidence: simulation.lowConfidenceSignals,
        within_separation: simulation.suppressedSignals,
        skipped_orders: simulation.skippedOrders,
      },
      warnings,
      duration_ms: Date.now() - startedAt,
    };
    await this.options.store.save({
      summary,
      trades: simulation.trades.map(tradeJson),
      curve: {
        time: evaluation.times,
        equity: simulation.equity,
        buyAndHold: simulation.baseline.equity,
        position: simulation.position,
        close: bars.close.subarray(rangeFirst),
      },
    });
    context.onProgress?.({ percentage: 100, step: 'Done', bars: rangeBars });
    return summary;
  }

  /** Every stored backtest, newest first, and the damaged folders left out. */
  list() {
    return this.options.store.list();
  }

  /** One stored backtest with its trades and its equity curve resampled to at most `points`. */
  async show(id: string, points = 500): Promise<BacktestDetail> {
    const stored = await this.options.store.load(validateBacktestId(id));
    return detailOf(stored, points);
  }
}

/** A stored backtest as `show` answers it. */
function detailOf(stored: StoredBacktest, points: number): BacktestDetail {
  const { curve } = stored;
  const total = curve.time.length;
  const count = Math.min(total, points);
  // Evenly spaced points, the first and the last always kept.
  const index = Array.from({ length: count }, (_, i) =>
    count === 1 ? 0 : Math.round((i * (total - 1)) / (count - 1)),
  );
  return {
    ...stored.summary,
    trades: stored.trades,
    equity: {
      total_points: total,
      dates: index.map((k) => formatIsoUtc(curve.time[k]!)),
      equity: index.map((k) => curve.equity[k]!),
      buy_and_hold: index.map((k) => curve.buyAndHold[k]!),
      position: index.map((k) => curve.position[k]!),
    },
  };
}

/**
 * The base timeframe the model decides on: its own (a multi-timeframe model's base); naming another
 * is refused, its features would not match.
 */
function backtestTimeframe(model: LoadedModel, asked: string | undefined) {
  const spec = featureSpecOf(model);
  const own = spec.timeframes?.[0]?.timeframe ?? model.key.timeframe;
  const all = spec.timeframes?.map((p) => p.timeframe) ?? [own];
  if (asked !== undefined && parseTimeframe(asked) !== own && asked !== all.join('-')) {
    throw new ValidationError(
      `Model ${formatModelName(model.key, model.version)} decides on ${own} bars (it reads ${all.join(', ')}): backtest it on ${own}`,
      { details: { field: 'timeframe', accepted: [own] } },
    );
  }
  return parseTimeframe(own);
}

/** The warning when the range overlaps the bars the model was trained on (its metadata's `data_range`). */
function trainingOverlap(model: LoadedModel, start: number, end: number): string | undefined {
  const range = model.metadata.data_range;
  if (range === null || range === undefined) return undefined;
  const trainedFrom = Date.parse(range.start);
  const trainedTo = Date.parse(range.end);
  if (!Number.isFinite(trainedFrom) || !Number.isFinite(trainedTo)) return undefined;
  if (start > trainedTo || end <= trainedFrom) return undefined;
  return (
    `The range overlaps the bars the model was trained on (${range.start} to ${range.end}, validation and test splits included): ` +
    'results there are in-sample and flatter than trading would be. Backtest after the training range for an honest figure.'
  );
}

/** Bars of the range (from `first`) with no signal. */
function countMissing(classes: Int8Array, first: number): number {
  let missing = 0;
  for (let i = first; i < classes.length; i++) if (classes[i]! < 0) missing++;
  return missing;
}

/** Signals per class in the range. */
function signalCounts(classes: Int8Array, first: number): { buy: number; hold: number; sell: number } {
  const counts = { buy: 0, hold: 0, sell: 0 };
  for (let i = first; i < classes.length; i++) {
    const c = classes[i]!;
    if (c === 0) counts.buy++;
    else if (c === 1) counts.hold++;
    else if (c === 2) counts.sell++;
  }
  return counts;
}
