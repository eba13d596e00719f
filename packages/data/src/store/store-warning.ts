import { relative } from 'node:path';
import type { TornLine } from './csv-parse';

/**
 * Why the store warns. `torn_row`: a file's last row had no line end and was left out.
 * `unreadable_no_data_memory`: a series' "no data from IB" memory file could not be read and counts
 * as empty (it is a cache: the ranges are asked for again).
 */
export type StoreWarningCode = 'torn_row' | 'unreadable_no_data_memory';

interface StoreWarningBase {
  /** The file, relative to the data folder: safe to show in an HTTP answer or a log. */
  file: string;
  /** What happened and what the store does about it, naming `file` or `file:line` (never an absolute path). */
  message: string;
  /** The file's absolute path, for local tools. */
  path: string;
}

/** A series file's last row had no line end (a torn write) and was left out. */
export interface TornRowWarning extends StoreWarningBase {
  code: 'torn_row';
  /** 1-based line in that file. */
  line: number;
}

/** A "no data from IB" memory file could not be read and counts as empty. */
export interface UnreadableNoDataMemoryWarning extends StoreWarningBase {
  code: 'unreadable_no_data_memory';
  line?: undefined;
}

/**
 * Something the store worked around without failing, and that the caller should show: reads and
 * writes return them (`warnings`), and {@link CsvStoreOptions.onWarning} receives each one.
 */
export type StoreWarning = TornRowWarning | UnreadableNoDataMemoryWarning;

/** `path` relative to `dataDir`, with `/` separators: what messages may show. */
export function relativeFile(dataDir: string, path: string): string {
  return relative(dataDir, path).split('\\').join('/');
}

/** The warning for a "no data" memory file at `path` (under `dataDir`) that could not be read. */
export function unreadableNoDataMemoryWarning(
  dataDir: string,
  path: string,
  reason: string,
): UnreadableNoDataMemoryWarning {
  const file = relativeFile(dataDir, path);
  return {
    code: 'unreadable_no_data_memory',
    file,
    path,
    message:
      `${file}: the memory of ranges IB has no data for cannot be read (${reason}). It counts as empty, ` +
      'so those ranges are asked for again; the next answer rewrites the file.',
  };
}

/** The warning for a torn last row of `path` (a file under `dataDir`). */
export function tornRowWarning(dataDir: string, path: string, torn: TornLine): TornRowWarning {
  const file = relativeFile(dataDir, path);
  return {
    code: 'torn_row',
    file,
    line: torn.line,
    path,
    message:
      `${file}:${torn.line}: the last row has no line end (a write cut short: '${torn.text.slice(0, 80)}'). ` +
      'It is left out, never served; the next write of this series rewrites the file without it, and ' +
      'the next load fetches that bar again.',
  };
}
