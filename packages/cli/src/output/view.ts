import type { ChartSeries, LineChartOptions } from '../render/line-chart';

/** A column of a {@link TableBlock}: `key` names the raw value, `format` shows it to people. */
export interface ViewColumn {
  key: string;
  header: string;
  align?: 'left' | 'right';
  format?: (value: unknown) => string;
}

/** Rows of records. csv writes the raw values under the keys; the table shows formatted cells. */
export interface TableBlock {
  kind: 'table';
  title?: string;
  columns: readonly ViewColumn[];
  rows: readonly Record<string, unknown>[];
  /** Shown instead of an empty table. */
  empty?: string;
}

/** One labelled value of a {@link RecordBlock}. */
export interface ViewField {
  key: string;
  label: string;
  value: unknown;
  format?: (value: unknown) => string;
}

/** Labelled values: a summary. csv writes `field,value` lines. */
export interface RecordBlock {
  kind: 'record';
  title?: string;
  fields: readonly ViewField[];
}

/** A line chart (table format only). */
export interface ChartBlock {
  kind: 'chart';
  title?: string;
  series: readonly ChartSeries[];
  options?: LineChartOptions;
}

/** Free text (table format only): hints, notes. */
export interface TextBlock {
  kind: 'text';
  text: string;
}

/** One part of a {@link View}. */
export type ViewBlock = TableBlock | RecordBlock | ChartBlock | TextBlock;

/**
 * What a command shows, independent of the format: blocks for people (table), the first table or
 * record for csv, and `json`, the documented machine-readable shape, for `-f json`.
 */
export interface View {
  blocks: readonly ViewBlock[];
  json: unknown;
  /** The data is synthetic: every title says SIMULATED, and csv output gets a note on stderr. */
  simulated?: boolean;
}
