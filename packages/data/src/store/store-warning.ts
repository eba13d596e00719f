import { relative } from 'node:path';
import type { TornLine } from './csv-parse';

/** Why the store warns. `torn_row`: a file's last row had no line end and was left out. */
export type StoreWarningCode = 'torn_row';

/**
 * Something the store worked around without failing, and that the caller should show: reads and
 * writes return them (`warnings`), and {@link CsvStoreOptions.onWarning} receives each one.
 */
export interface StoreWarning {
  code: StoreWarningCode;
  /** The file, relative to the data folder: safe to show in an HTTP answer or a log. */
  file: string;
  /** 1-based line in that file. */
  line: number;
  /** What happened and what the store does about it, naming `file:line` (never an absolute path). */
  message: string;
  /** The file's absolute path, for local tools. */
  path: string;
}

/** The warning for a torn last row of `path` (a file under `dataDir`). */
export function tornRowWarning(dataDir: string, path: string, torn: TornLine): StoreWarning {
  const file = relative(dataDir, path).split('\\').join('/');
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
