/** One output column of `GET /indicators/:symbol/:timeframe`. */
export interface IndicatorOutput {
  /** `{key}.{output}`: `rsi.value`, `macd.signal`. */
  column: string;
  /** The strategy's name for the indicator. */
  key: string;
  /** Registry name: `RSI`, `MACD`. */
  indicator: string;
  output: string;
  /** Price-scaled (moving averages, bands): drawn over the candles. */
  overlay: boolean;
}

/** The route's answer (`data`). */
export interface IndicatorsAnswer {
  strategy: string;
  symbol: string;
  timeframe: string;
  simulated: boolean;
  rows: number;
  outputs: IndicatorOutput[];
  /** `time` (epoch ms) and one column per output; null during warm-up. */
  columns: Record<string, (number | null)[]>;
}

/** One line to draw: a column as typed values, NaN where the answer had null. */
export interface IndicatorLine {
  column: string;
  values: Float64Array;
}

/** What the price chart draws: lines over the candles, and panes of their own below. */
export interface IndicatorPanes {
  /** Bar times, seconds since the epoch. */
  time: Float64Array;
  overlays: IndicatorLine[];
  /** One pane per indicator (all its outputs together), in the strategy's order. */
  panes: { key: string; indicator: string; lines: IndicatorLine[] }[];
}

/**
 * The route's columns as typed arrays, grouped as the chart draws them: price-scaled outputs over
 * the candles, every other output in its indicator's own pane. A listed output whose column is
 * missing or of another length is an error rather than a line silently left out.
 */
export function indicatorPanesOf(answer: IndicatorsAnswer): IndicatorPanes {
  const times = answer.columns['time'];
  if (times === undefined) throw new Error('The indicators answer has no time column.');
  const time = Float64Array.from(times, (ms) => (ms === null ? Number.NaN : ms / 1000));
  const overlays: IndicatorLine[] = [];
  const panes: IndicatorPanes['panes'] = [];
  for (const output of answer.outputs) {
    const column = answer.columns[output.column];
    if (column === undefined || column.length !== time.length) {
      throw new Error(
        `The indicators answer's column ${output.column} is missing or not ${time.length} long.`,
      );
    }
    const line = { column: output.column, values: Float64Array.from(column, (v) => v ?? Number.NaN) };
    if (output.overlay) {
      overlays.push(line);
      continue;
    }
    let pane = panes.find((p) => p.key === output.key);
    if (pane === undefined) panes.push((pane = { key: output.key, indicator: output.indicator, lines: [] }));
    pane.lines.push(line);
  }
  return { time, overlays, panes };
}
