import { SIMULATED_COLOUR, escapeHtml } from '../domain/bar-frame-display';

/** Size of a chart in pixels (SVG user units). */
export interface ChartSize {
  /** Default 720. */
  width?: number;
  /** Default 320. */
  height?: number;
}

/** The plot area inside the margins, and the chart's full size. */
export interface PlotFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The plot area of a chart of `size`: room on the left for the y labels, on top for the title. */
export function plotFrame(size: ChartSize = {}): PlotFrame {
  const width = Math.max(200, Math.round(size.width ?? 720));
  const height = Math.max(120, Math.round(size.height ?? 320));
  return { width, height, left: 64, right: width - 16, top: 32, bottom: height - 28 };
}

/** About `count` round tick values covering `[min, max]` (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    // Rounded to the step's decimals, so 0.30000000000000004 prints as 0.3.
    ticks.push(Number(tick.toFixed(Math.max(0, -Math.floor(Math.log10(step))))));
  }
  return ticks;
}

/** Maps `[min, max]` onto `[to0, to1]` (a flat range maps to the middle). */
export function linearScale(min: number, max: number, to0: number, to1: number): (value: number) => number {
  if (!(max > min)) return () => (to0 + to1) / 2;
  return (value) => to0 + ((value - min) / (max - min)) * (to1 - to0);
}

/** A number with two decimals at most, for SVG coordinates. */
export const px = (value: number): string => String(Math.round(value * 100) / 100);

/** The y axis: grid lines and labels at the ticks. */
export function yAxis(frame: PlotFrame, ticks: readonly number[], y: (value: number) => number): string {
  return ticks
    .map((tick) => {
      const at = px(y(tick));
      return (
        `<line x1="${frame.left}" x2="${frame.right}" y1="${at}" y2="${at}" stroke="#e5e7eb"/>` +
        `<text x="${frame.left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeHtml(String(tick))}</text>`
      );
    })
    .join('');
}

/** The x axis labels, centred under their positions; the first and last kept inside the chart. */
export function xLabels(frame: PlotFrame, labels: readonly { at: number; text: string }[]): string {
  return labels
    .map(({ at, text }, i) => {
      const anchor =
        labels.length > 1 && i === 0
          ? 'start'
          : labels.length > 1 && i === labels.length - 1
            ? 'end'
            : 'middle';
      return `<text x="${px(at)}" y="${frame.bottom + 18}" text-anchor="${anchor}">${escapeHtml(text)}</text>`;
    })
    .join('');
}

/** The y scale of values from `min` to `max`: round ticks inside, 5% room above and below. */
export function valueAxis(
  frame: PlotFrame,
  min: number,
  max: number,
): { ticks: number[]; y: (value: number) => number } {
  const room = max > min ? (max - min) * 0.05 : Math.max(1, Math.abs(min) * 0.05);
  const ticks = niceTicks(min - room, max + room).filter((tick) => tick >= min - room && tick <= max + room);
  return { ticks, y: linearScale(min - room, max + room, frame.bottom, frame.top) };
}

/**
 * A complete, self-contained SVG document: inline styles only, no script, no external reference,
 * so it shows the same in Jupyter, tslab, VS Code, a browser or a file. `title` is escaped; the
 * `SIMULATED` word in it is drawn in red.
 */
export function svgDocument(frame: PlotFrame, title: string, body: string): string {
  const heading = escapeHtml(title).replace(
    /\bSIMULATED\b/g,
    `<tspan fill="${SIMULATED_COLOUR}" font-weight="bold">SIMULATED</tspan>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${frame.width}" height="${frame.height}" ` +
    `viewBox="0 0 ${frame.width} ${frame.height}" font-family="system-ui, sans-serif" font-size="11" fill="#374151">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${frame.left}" y="18" font-size="13">${heading}</text>` +
    `<line x1="${frame.left}" x2="${frame.left}" y1="${frame.top}" y2="${frame.bottom}" stroke="#9ca3af"/>` +
    `<line x1="${frame.left}" x2="${frame.right}" y1="${frame.bottom}" y2="${frame.bottom}" stroke="#9ca3af"/>` +
    body +
    `</svg>`
  );
}

/** The `$schema` of the Vega-Lite specs the helpers return (Jupyter renders v5 natively). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** The MIME type under which a notebook shows a Vega-Lite spec. */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
