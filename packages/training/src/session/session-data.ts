import { ValidationError } from '@ktrdr/core';
import { TIMEFRAME_SPECS, parseTimeframe } from '@ktrdr/data';
import type { SymbolInput } from '../features/training-data';
import { timeframeParts } from '../features/timeframe-parts';
import type { StrategyConfig } from '../strategy/types';
import type { LoadBars } from './training-sessions';

/** The symbols and timeframes of one training, timeframes base first. */
export interface TrainingScope {
  symbols: string[];
  /** Base timeframe first, then the others from the highest frequency down. */
  timeframes: string[];
}

/**
 * Checks a training's symbols and timeframes against the strategy (known timeframes, no repeats,
 * `nn_inputs` timeframes all loaded) and orders the timeframes base first.
 * @throws ValidationError naming the field.
 */
export function trainingScope(
  data: { symbols: readonly string[]; timeframes: readonly string[] },
  strategy: StrategyConfig,
): TrainingScope {
  if (data.symbols.length === 0 || data.timeframes.length === 0) {
    throw new ValidationError('Give at least one symbol and one timeframe to train on', {
      details: {
        field: data.symbols.length === 0 ? 'data_configuration.symbols' : 'data_configuration.timeframes',
      },
    });
  }
  const repeated = data.symbols.find((s, i) => data.symbols.indexOf(s) !== i);
  if (repeated !== undefined) {
    throw new ValidationError(`Symbol ${repeated} is given twice`, {
      details: { field: 'data_configuration.symbols' },
    });
  }
  const parts = timeframeParts(
    strategy,
    data.timeframes.map((tf) => ({ timeframe: tf, barMs: TIMEFRAME_SPECS[parseTimeframe(tf)].ms })),
  );
  return { symbols: [...data.symbols], timeframes: parts.map((p) => p.timeframe) };
}

/**
 * Loads every timeframe of every symbol; the result is simulated when any series is.
 */
export async function loadAll(
  loadBars: LoadBars,
  symbols: readonly string[],
  timeframes: readonly string[],
  range: { start?: string | undefined; end?: string | undefined; signal: AbortSignal },
): Promise<{ inputs: SymbolInput[]; simulated: boolean }> {
  let simulated = false;
  const inputs: SymbolInput[] = [];
  for (const symbol of symbols) {
    const series = [];
    for (const timeframe of timeframes) {
      range.signal.throwIfAborted();
      const bars = await loadBars({ symbol, timeframe, ...range });
      simulated ||= bars.simulated;
      series.push({ timeframe, barMs: TIMEFRAME_SPECS[parseTimeframe(timeframe)].ms, bars: bars.columns });
    }
    inputs.push({ symbol, input: series });
  }
  return { inputs, simulated };
}

/** First and last of `times` (undefined when empty); rows of several symbols are not in time order. */
export function timeRange(times: Float64Array): [number | undefined, number | undefined] {
  if (times.length === 0) return [undefined, undefined];
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return [first, last];
}
