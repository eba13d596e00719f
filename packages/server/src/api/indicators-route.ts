import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { NotFoundError, parseInput, sendJson } from '@ktrdr/core';
import { type DataService, selectStoredBars } from '@ktrdr/data';
import {
  STRATEGY_NAME_PATTERN,
  type IndicatorConfig,
  computeIndicator,
  parseStrategy,
} from '@ktrdr/training';
import { z } from 'zod';

/**
 * Bars read before the asked window so the indicators are past their warm-up on its first bar (an
 * EMA or an RSI settles within a few times its period; ZigZag and the like need a swing or two).
 */
export const INDICATOR_WARMUP_BARS = 1000;

const inputSchema = z.object({
  symbol: z.string().min(1).max(40),
  timeframe: z.string().min(1).max(8),
  /** A strategy file's name in the strategies folder, without `.yaml`, as `strategy_name` is. */
  strategy: z.string().regex(STRATEGY_NAME_PATTERN, 'a strategy name: letters, digits, . _ -'),
  limit: z.coerce.number().int().min(1).max(100_000).default(2000),
});

/**
 * Outputs on the price's own scale, drawn over the candles; every other output (oscillators,
 * ratios, volumes) gets a pane of its own. Keyed by the registry's canonical indicator name.
 */
const PRICE_SCALED: Readonly<Record<string, readonly string[]>> = {
  SMA: ['value'],
  EMA: ['value'],
  BollingerBands: ['upper', 'middle', 'lower'],
  KeltnerChannels: ['upper', 'middle', 'lower'],
  DonchianChannels: ['upper', 'middle', 'lower'],
  Ichimoku: ['tenkan', 'kijun', 'senkou_a', 'senkou_b', 'chikou'],
  ParabolicSAR: ['value'],
  SuperTrend: ['trend'],
  VWAP: ['value'],
};

/** True when `output` of `indicator` is in price units (a moving average of volume is not). */
function isPriceScaled(indicator: IndicatorConfig, output: string): boolean {
  const source = indicator.params['source'];
  if (source === 'volume') return false;
  return PRICE_SCALED[indicator.indicator]?.includes(output) ?? false;
}

/** One answered column. */
export interface IndicatorColumn {
  /** `{key}.{output}`, the column's name in `columns` (`rsi.value`, `macd.signal`). */
  column: string;
  /** The strategy's name for the indicator (`feature_id`, else `name`). */
  key: string;
  /** Canonical registry name (`RSI`, `MACD`). */
  indicator: string;
  output: string;
  /** True for price-scaled outputs, drawn over the candles. */
  overlay: boolean;
}

/** Loads `name` from the strategies folder; problems name the file, never the folder. */
async function loadNamedStrategy(strategiesDir: string, name: string) {
  const file = `${name.replace(/\.ya?ml$/, '')}.yaml`;
  let text: string;
  try {
    text = await readFile(path.join(strategiesDir, file), 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
    throw new NotFoundError(`No strategy '${name}' in the strategies folder`, {
      details: { strategy: name },
    });
  }
  return parseStrategy(text, file);
}

/**
 * `GET /indicators/:symbol/:timeframe?strategy=NAME&limit=N`: the values of a strategy's declared
 * indicators over the last N stored bars, as columns (`time` in epoch ms UTC, then one column per
 * indicator output; null during warm-up), computed with @ktrdr/training's indicator code from
 * those bars and the {@link INDICATOR_WARMUP_BARS} before them. `outputs` says which columns are
 * price-scaled. Unknown strategy or series: 404; bad name or limit: 400.
 */
export function indicatorsRoute(data: DataService, strategiesDir: string): RequestHandler {
  return async (req, res) => {
    const input = parseInput(
      inputSchema,
      {
        ...(req.query as Record<string, unknown>),
        symbol: req.params['symbol'],
        timeframe: req.params['timeframe'],
      },
      'indicators input',
    );
    const strategy = await loadNamedStrategy(strategiesDir, input.strategy);
    const loaded = await selectStoredBars(data.store, {
      symbol: input.symbol,
      timeframe: input.timeframe,
      limit: input.limit + INDICATOR_WARMUP_BARS,
    });
    const bars = loaded.frame.columns();
    const first = Math.max(0, bars.time.length - input.limit);
    const outputs: IndicatorColumn[] = [];
    const columns: Record<string, (number | null)[]> = { time: Array.from(bars.time.subarray(first)) };
    for (const indicator of strategy.indicators) {
      const computed = computeIndicator(indicator.indicator, bars, indicator.params);
      for (const [output, values] of Object.entries(computed)) {
        const column = `${indicator.key}.${output}`;
        outputs.push({
          column,
          key: indicator.key,
          indicator: indicator.indicator,
          output,
          overlay: isPriceScaled(indicator, output),
        });
        // JSON has no NaN: warm-up bars answer null.
        columns[column] = Array.from(values.subarray(first), (v) => (Number.isFinite(v) ? v : null));
      }
    }
    sendJson(res, 200, {
      success: true,
      data: {
        strategy: strategy.name,
        symbol: loaded.symbol,
        timeframe: loaded.timeframe,
        simulated: loaded.simulated,
        rows: columns['time']!.length,
        outputs,
        columns,
      },
    });
  };
}
