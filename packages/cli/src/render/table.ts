import { pad, textWidth } from './text-width';

/** One column of a {@link TableSpec}. */
export interface TableColumn {
  header: string;
  /** Numbers read best right-aligned. Default `left`. */
  align?: 'left' | 'right';
}

/** An aligned text table: cells are already formatted strings. */
export interface TableSpec {
  columns: readonly TableColumn[];
  rows: readonly (readonly string[])[];
}

const GAP = '  ';

/**
 * Renders rows under a header with a rule, every column as wide as its widest cell. No outer box:
 * the output stays readable when copied into an issue or grepped.
 */
export function renderTable(spec: TableSpec): string {
  const widths = spec.columns.map((column, i) =>
    Math.max(textWidth(column.header), ...spec.rows.map((row) => textWidth(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    spec.columns
      .map((column, i) => pad(cells[i] ?? '', widths[i] ?? 0, column.align))
      .join(GAP)
      .trimEnd();
  return [
    line(spec.columns.map((column) => column.header)),
    widths.map((width) => '─'.repeat(width)).join(GAP),
    ...spec.rows.map(line),
  ].join('\n');
}

/** Renders `label  value` pairs with the labels aligned, indented under a title. */
export function renderRecord(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([label]) => textWidth(label)));
  return fields.map(([label, value]) => `  ${pad(label, width)}${GAP}${value}`.trimEnd()).join('\n');
}
