// Matches the escape sequences terminals interpret (colours, cursor moves), so widths ignore them.
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** `text` without terminal escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Columns `text` occupies in a terminal. Counts code points, not UTF-16 units, so box-drawing and
 * block characters (one column each) line up; escape sequences take no room.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const _ of stripAnsi(text)) width++;
  return width;
}

/** Pads `text` to `width` columns, on the left (`'right'` alignment) or on the right. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}
