import type { BarFrame } from '../domain/bar-frame';
import type { Bar } from '../domain/bars';
import { formatIsoUtc } from '../domain/dates';
import {
  type ChartSize,
  VEGA_LITE_SCHEMA,
  plotFrame,
  px,
  svgDocument,
  valueAxis,
  xLabels,
  yAxis,
} from './svg-plot';

/** Options of {@link barsVegaLite} and {@link barsSvg}. */
export interface BarsChartOptions extends ChartSize {
  /** Title (default: the frame's symbol and timeframe); SIMULATED is appended for simulated bars. */
  title?: string;
  /** Chart only the last N bars (default 500); the title then says so ("last 500 of 8000 bars"). */
  last?: number;
}

const UP = '#16a34a';
const DOWN = '#dc2626';

/** The bars charted, and the title saying what they are: series, how many of how many, SIMULATED. */
function chartedBars(frame: BarFrame, options: BarsChartOptions): { bars: Bar[]; title: string } {
  const last = Math.max(1, Math.floor(options.last ?? 500));
  const shown = frame.tail(last);
  const info = frame.info;
  const series =
    options.title ??
    ([info?.symbol, info?.timeframe].filter((part) => part !== undefined).join(' ') || 'Bars');
  const count =
    shown.length < frame.length ? `last ${shown.length} of ${frame.length} bars` : `${frame.length} bars`;
  const parts = [series, count];
  if (info?.simulated === true) parts.push('SIMULATED');
  return { bars: shown.toRows(), title: parts.join(', ') };
}

/**
 * A Vega-Lite (v5) candlestick chart of a frame's bars (the last 500 by default): wicks from low to
 * high, bodies from open to close, green up and red down, time in UTC; the data inline, so the spec
 * stands alone. Show it in Jupyter (`application/vnd.vegalite.v5+json`), the Vega editor or any
 * Vega-Lite embed. The title says SIMULATED for simulated bars.
 */
export function barsVegaLite(frame: BarFrame, options: BarsChartOptions = {}): Record<string, unknown> {
  const { bars, title } = chartedBars(frame, options);
  const y = { type: 'quantitative', scale: { zero: false }, title: 'price' };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: options.width ?? 720,
    height: options.height ?? 320,
    data: {
      values: bars.map((bar) => ({
        date: formatIsoUtc(bar.time),
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
      })),
    },
    encoding: {
      x: { field: 'date', type: 'temporal', scale: { type: 'utc' }, title: 'time (UTC)' },
      color: { condition: { test: 'datum.open <= datum.close', value: UP }, value: DOWN },
    },
    layer: [
      { mark: 'rule', encoding: { y: { field: 'low', ...y }, y2: { field: 'high' } } },
      { mark: 'bar', encoding: { y: { field: 'open', ...y }, y2: { field: 'close' } } },
    ],
  };
}

/** Date labels for the x axis: a date, plus the time when the bars are intraday. */
function timeLabel(bars: readonly Bar[]): (ms: number) => string {
  const intraday = bars.some((bar) => bar.time % 86_400_000 !== 0);
  return (ms) => (intraday ? formatIsoUtc(ms).slice(0, 16).replace('T', ' ') : formatIsoUtc(ms).slice(0, 10));
}

/**
 * A self-contained SVG of a frame's bars (the last 500 by default): candlesticks while each gets
 * at least 3 pixels, a close-price line beyond; bars side by side (closed hours leave no gap), five
 * UTC date labels, the title with SIMULATED in red for simulated bars. No script and no external
 * reference: it shows the same in a notebook (`image/svg+xml`), a browser or a file.
 */
export function barsSvg(frame: BarFrame, options: BarsChartOptions = {}): string {
  const plot = plotFrame(options);
  const { bars, title } = chartedBars(frame, options);
  if (bars.length === 0) return svgDocument(plot, `${title} (no bars)`, '');
  const low = Math.min(...bars.map((bar) => bar.low));
  const high = Math.max(...bars.map((bar) => bar.high));
  const { ticks, y } = valueAxis(plot, low, high);
  const slot = (plot.right - plot.left) / bars.length;
  const x = (i: number) => plot.left + slot * (i + 0.5);
  let marks: string;
  if (slot >= 3) {
    const body = Math.max(1, slot * 0.6);
    marks = bars
      .map((bar, i) => {
        const colour = bar.close >= bar.open ? UP : DOWN;
        const top = y(Math.max(bar.open, bar.close));
        const height = Math.max(1, y(Math.min(bar.open, bar.close)) - top);
        return (
          `<line x1="${px(x(i))}" x2="${px(x(i))}" y1="${px(y(bar.high))}" y2="${px(y(bar.low))}" stroke="${colour}"/>` +
          `<rect x="${px(x(i) - body / 2)}" y="${px(top)}" width="${px(body)}" height="${px(height)}" fill="${colour}"/>`
        );
      })
      .join('');
  } else {
    const points = bars.map((bar, i) => `${px(x(i))},${px(y(bar.close))}`).join(' ');
    marks = `<polyline points="${points}" fill="none" stroke="#2563eb" stroke-width="1.5"/>`;
  }
  const label = timeLabel(bars);
  const labelCount = Math.min(5, bars.length);
  const labels = Array.from({ length: labelCount }, (_, k) => {
    const i = labelCount === 1 ? 0 : Math.round((k * (bars.length - 1)) / (labelCount - 1));
    return { at: x(i), text: label((bars[i] as Bar).time) };
  });
  return svgDocument(plot, title, yAxis(plot, ticks, y) + marks + xLabels(plot, labels));
}
