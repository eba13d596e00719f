import type { Bar } from './bars';
import { formatIsoUtc } from './dates';

/**
 * What a frame knows about itself beyond its bars: which series it holds and whether the bars are
 * simulated. Frames read through `DataService` carry it; frames built by hand carry none until
 * `withInfo` gives it.
 */
export interface BarFrameInfo {
  symbol?: string;
  timeframe?: string;
  /** True for synthetic bars (IB simulator): every display of the frame says SIMULATED. */
  simulated?: boolean;
}

/** How many rows a display shows: the first `head` and the last `tail` (all when they cover the frame). */
export interface BarDisplayOptions {
  /** Rows from the start (default 5). */
  head?: number;
  /** Rows from the end (default 5). */
  tail?: number;
}

/** What the display helpers need of a frame (the class itself would be a circular import). */
export interface DisplayableFrame {
  readonly length: number;
  readonly info: BarFrameInfo | undefined;
  at(index: number): Bar | undefined;
}

/** The red that SIMULATED is written in, in HTML tables and SVG charts alike. */
export const SIMULATED_COLOUR = '#b91c1c';

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;
const COLUMNS = ['time (UTC)', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The rows shown: indexes of the head, then of the tail, and how many are left out between. */
function shownRows(
  length: number,
  options: BarDisplayOptions,
): { head: number[]; tail: number[]; hidden: number } {
  const head = Math.max(0, Math.floor(options.head ?? 5));
  const tail = Math.max(0, Math.floor(options.tail ?? 5));
  const indexes = (from: number, to: number) =>
    Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  if (head + tail >= length) return { head: indexes(0, length), tail: [], hidden: 0 };
  return { head: indexes(0, head), tail: indexes(length - tail, length), hidden: length - head - tail };
}

/**
 * The fewest decimals (from `min` to `max`) that show every value exactly: 2 for most stocks, 5 for
 * forex quotes, 0 for volumes.
 */
function decimalsFor(values: readonly number[], min: number, max: number): number {
  for (let decimals = min; decimals < max; decimals++) {
    const scale = 10 ** decimals;
    if (
      values.every(
        (v) =>
          !Number.isFinite(v) ||
          Math.abs(Math.round(v * scale) / scale - v) < 1e-9 * Math.max(1, Math.abs(v)),
      )
    )
      return decimals;
  }
  return max;
}

/** Times as short as they can be without losing anything: a date, minutes, or seconds. */
function timeFormatter(times: readonly number[]): (ms: number) => string {
  const iso = (ms: number) => formatIsoUtc(ms); // YYYY-MM-DDTHH:MM:SSZ
  if (times.every((t) => t % 86_400_000 === 0)) return (ms) => iso(ms).slice(0, 10);
  if (times.every((t) => t % 60_000 === 0)) return (ms) => iso(ms).slice(0, 16).replace('T', ' ');
  return (ms) => iso(ms).slice(0, 19).replace('T', ' ');
}

/** The frame's rows as display cells, with the layout both displays share. */
function tableOf(frame: DisplayableFrame, options: BarDisplayOptions) {
  const { head, tail, hidden } = shownRows(frame.length, options);
  const bars = [...head, ...tail].map((i) => frame.at(i) as Bar);
  const time = timeFormatter(bars.map((bar) => bar.time));
  const priceDecimals = decimalsFor(
    bars.flatMap((bar) => PRICE_FIELDS.map((field) => bar[field])),
    2,
    6,
  );
  const volumeDecimals = decimalsFor(
    bars.map((bar) => bar.volume),
    0,
    4,
  );
  const cells = (bar: Bar) => [
    time(bar.time),
    ...PRICE_FIELDS.map((field) => bar[field].toFixed(priceDecimals)),
    bar.volume.toFixed(volumeDecimals),
  ];
  return {
    head: bars.slice(0, head.length).map(cells),
    tail: bars.slice(head.length).map(cells),
    hidden,
  };
}

/** `SIMULATED`, `real`, or nothing when the frame does not know. */
function sourceLabel(info: BarFrameInfo | undefined): string | undefined {
  if (info?.simulated === undefined) return undefined;
  return info.simulated ? 'SIMULATED' : 'real';
}

/** The parts of a frame's title, the source label marked so the HTML display can stress it. */
function titleParts(frame: DisplayableFrame): { text: string; isLabel?: boolean }[] {
  const info = frame.info;
  const series = [info?.symbol, info?.timeframe]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  const parts: { text: string; isLabel?: boolean }[] = [];
  if (series !== '') parts.push({ text: series });
  parts.push({ text: `${frame.length} ${frame.length === 1 ? 'bar' : 'bars'}` });
  const label = sourceLabel(info);
  if (label !== undefined) parts.push({ text: label, isLabel: true });
  const first = frame.at(0);
  const last = frame.at(-1);
  if (first !== undefined && last !== undefined) {
    const time = timeFormatter([first.time, last.time]);
    parts.push({ text: `${time(first.time)} to ${time(last.time)} UTC` });
  }
  return parts;
}

/**
 * The one-line title of a frame: `AAPL 1h, 120 bars, SIMULATED, 2024-01-02 14:00 to 2024-01-19
 * 20:00 UTC`.
 */
export function barFrameTitle(frame: DisplayableFrame): string {
  return titleParts(frame)
    .map((part) => part.text)
    .join(', ');
}

/**
 * The frame as text, for `console.log`, the Node REPL and tslab: the title, then the first and
 * last rows in aligned columns, with how many rows were left out between them.
 */
export function barFrameText(frame: DisplayableFrame, options: BarDisplayOptions = {}): string {
  const title = `BarFrame ${barFrameTitle(frame)}`;
  if (frame.length === 0) return title;
  const table = tableOf(frame, options);
  const rows = [[...COLUMNS], ...table.head, ...table.tail];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  // The time column reads left to right; numbers align on the right.
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const lines = [title, line(rows[0] ?? []), ...table.head.map(line)];
  if (table.hidden > 0) lines.push(`... ${table.hidden} more ${table.hidden === 1 ? 'bar' : 'bars'} ...`);
  lines.push(...table.tail.map(line));
  return lines.join('\n');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * The frame as an HTML table (inline styles only, so it renders the same in Jupyter, tslab, VS Code
 * and a plain page): the title as a caption, SIMULATED in bold red, then the first and last rows.
 */
export function barFrameHtml(frame: DisplayableFrame, options: BarDisplayOptions = {}): string {
  // SIMULATED in bold red, so synthetic bars are never mistaken for market data.
  const caption = titleParts(frame)
    .map(({ text, isLabel }) =>
      isLabel === true && text === 'SIMULATED'
        ? `<strong style="color:${SIMULATED_COLOUR}">${escapeHtml(text)}</strong>`
        : escapeHtml(text),
    )
    .join(', ');
  const cell = (tag: 'td' | 'th', text: string, column: number) =>
    `<${tag} style="text-align:${column === 0 ? 'left' : 'right'};padding:2px 8px">${escapeHtml(text)}</${tag}>`;
  const row = (cells: readonly string[], tag: 'td' | 'th' = 'td') =>
    `<tr>${cells.map((text, column) => cell(tag, text, column)).join('')}</tr>`;
  const parts = [
    `<table class="ktrdr-bar-frame" style="border-collapse:collapse;font-variant-numeric:tabular-nums">`,
    `<caption style="text-align:left;caption-side:top">BarFrame ${caption}</caption>`,
  ];
  if (frame.length > 0) {
    const table = tableOf(frame, options);
    parts.push(`<thead>${row(COLUMNS, 'th')}</thead>`, '<tbody>', ...table.head.map((cells) => row(cells)));
    if (table.hidden > 0) {
      parts.push(
        `<tr><td colspan="${COLUMNS.length}" style="text-align:center;color:#6b7280">… ${table.hidden} more ${
          table.hidden === 1 ? 'bar' : 'bars'
        } …</td></tr>`,
      );
    }
    parts.push(...table.tail.map((cells) => row(cells)), '</tbody>');
  }
  parts.push('</table>');
  return parts.join('');
}
