import { readFile } from 'node:fs/promises';
import { CsvStore } from '@ktrdr/data';

/**
 * Reads one stored series file as a user's tool would and checks it is whole: a header, rows of a
 * time and five finite numbers, a final newline (no torn last row), times strictly increasing.
 * Returns the number of bars, or 0 when the file does not exist yet.
 */
export async function checkedSeriesRows(
  dataDir: string,
  symbol: string,
  timeframe: string,
  simulated = true,
): Promise<number> {
  const path = new CsvStore({ dataDir }).pathOf(symbol, timeframe, { simulated });
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return 0;
  if (!text.endsWith('\n')) throw new Error(`${path}: the last row is torn (no final newline)`);
  const lines = text.trimEnd().split('\n');
  let previous = -Infinity;
  for (const [index, line] of lines.slice(1).entries()) {
    const fields = line.split(',');
    const time = Date.parse(fields[0] ?? '');
    const numbers = fields.slice(1).map(Number);
    if (fields.length !== 6 || !Number.isFinite(time) || numbers.some((n) => !Number.isFinite(n))) {
      throw new Error(`${path}:${index + 2}: not a bar row: ${line}`);
    }
    if (!(time > previous)) throw new Error(`${path}:${index + 2}: time not strictly increasing`);
    previous = time;
  }
  return lines.length - 1;
}
