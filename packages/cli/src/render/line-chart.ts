import { pad, textWidth } from './text-width';

/** One line of a chart. */
export interface ChartSeries {
  name: string;
  values: readonly number[];
}

/** Options of {@link renderLineChart}. */
export interface LineChartOptions {
  /** Rows of the plot area (default 12). */
  height?: number;
  /** Most columns of the plot area; longer series are resampled (default 64). */
  width?: number;
  /** Formats the y-axis labels (default: as many decimals as the range needs). */
  formatY?: (value: number) => string;
  /** Labels under the first and last point (dates, epochs). */
  xLabels?: readonly [string, string];
}

/** Glyphs of one series: horizontal, vertical, and the four corners. */
interface Glyphs {
  flat: string;
  vertical: string;
  upFromLeft: string;
  upToRight: string;
  downFromLeft: string;
  downToRight: string;
}

/** Solid lines for the first series, dashed lines with square corners for the second, and so on. */
const GLYPH_SETS: readonly Glyphs[] = [
  { flat: '─', vertical: '│', upFromLeft: '╯', upToRight: '╭', downFromLeft: '╮', downToRight: '╰' },
  { flat: '╌', vertical: '╎', upFromLeft: '┘', upToRight: '┌', downFromLeft: '┐', downToRight: '└' },
  { flat: '·', vertical: ':', upFromLeft: '·', upToRight: '·', downFromLeft: '·', downToRight: '·' },
];

/**
 * Keeps every `step`-th point so that a long series fits `width` columns; the last point is always
 * kept, because the latest value is the one a reader looks for.
 */
export function resample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const index = Math.round((i * (values.length - 1)) / (width - 1));
    out.push(values[index] as number);
  }
  return out;
}

function defaultFormat(min: number, max: number): (value: number) => string {
  const span = Math.abs(max - min) || Math.abs(max) || 1;
  const decimals = Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(span))));
  return (value) => value.toFixed(decimals);
}

/**
 * Draws series as a line chart with box-drawing characters, a labelled y-axis and optional x labels.
 * Each point takes one column; a move between rows is drawn as a vertical run with corners, so the
 * line stays continuous at any resolution. Missing values (NaN) leave a gap.
 */
export function renderLineChart(series: readonly ChartSeries[], options: LineChartOptions = {}): string {
  const height = Math.max(2, options.height ?? 12);
  const width = Math.max(2, options.width ?? 64);
  const longest = Math.max(...series.map((s) => s.values.length));
  // A short series (20 epochs) is stretched up to 3 columns a point, so its shape stays legible.
  const stretch = longest > 0 ? Math.max(1, Math.min(3, Math.floor(width / longest))) : 1;
  const sampled = series.map((s) =>
    resample(s.values, width).flatMap((value) => Array<number>(stretch).fill(value)),
  );
  const finite = sampled.flat().filter(Number.isFinite);
  if (finite.length === 0) return '(no data to chart)';
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const range = max - min || 1;
  const rowOf = (value: number) => Math.round(((value - min) / range) * (height - 1));
  const columns = Math.max(...sampled.map((values) => values.length));
  // canvas[row][column], row 0 at the bottom.
  const canvas = Array.from({ length: height }, () => Array<string>(columns).fill(' '));
  const put = (row: number, column: number, glyph: string) => {
    const line = canvas[row];
    if (line !== undefined) line[column] = glyph;
  };

  sampled.forEach((values, index) => {
    const glyphs = GLYPH_SETS[index % GLYPH_SETS.length] as Glyphs;
    values.forEach((value, x) => {
      if (!Number.isFinite(value)) return;
      const current = rowOf(value);
      const previousValue = values[x - 1];
      if (x === 0 || previousValue === undefined || !Number.isFinite(previousValue)) {
        put(current, x, glyphs.flat);
        return;
      }
      const previous = rowOf(previousValue);
      if (current === previous) {
        put(current, x, glyphs.flat);
      } else if (current > previous) {
        put(previous, x, glyphs.upFromLeft);
        for (let row = previous + 1; row < current; row++) put(row, x, glyphs.vertical);
        put(current, x, glyphs.upToRight);
      } else {
        put(previous, x, glyphs.downFromLeft);
        for (let row = current + 1; row < previous; row++) put(row, x, glyphs.vertical);
        put(current, x, glyphs.downToRight);
      }
    });
  });

  const format = options.formatY ?? defaultFormat(min, max);
  const labels = Array.from({ length: height }, (_, row) => format(min + (row / (height - 1)) * range));
  const labelWidth = Math.max(...labels.map(textWidth));
  const lines: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    lines.push(
      `${pad(labels[row] as string, labelWidth, 'right')} ┤${(canvas[row] as string[]).join('').trimEnd()}`,
    );
  }
  const axisIndent = ' '.repeat(labelWidth + 1);
  lines.push(`${axisIndent}└${'─'.repeat(columns)}`);
  if (options.xLabels !== undefined) {
    const [first, last] = options.xLabels;
    const room = columns + 1 - textWidth(first);
    lines.push(`${axisIndent}${first}${room > textWidth(last) ? pad(last, room, 'right') : ` ${last}`}`);
  }
  if (series.length > 1) {
    const legend = series.map((s, index) => {
      const glyph = (GLYPH_SETS[index % GLYPH_SETS.length] as Glyphs).flat;
      return `${glyph.repeat(2)} ${s.name}`;
    });
    lines.push(`${axisIndent}${legend.join('   ')}`);
  }
  return lines.join('\n');
}
