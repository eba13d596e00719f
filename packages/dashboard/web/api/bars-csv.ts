/** Bars in columns: one typed array per field, as the charts read them (not one object per bar). */
export interface BarColumns {
  /** Bar open times, seconds since the epoch (UTC), ascending. */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;
}

/**
 * Parses the API's bars CSV (`GET /data/:symbol/:timeframe?format=csv`: a header, then
 * `timestamp,open,high,low,close,volume` rows) into {@link BarColumns}. Columns are found by name,
 * so their order does not matter; rows whose time does not parse are skipped.
 */
export function parseBarsCsv(text: string): BarColumns {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().toLowerCase().split(',');
  const column = (...names: string[]) => header.findIndex((name) => names.includes(name));
  const at = {
    time: column('timestamp', 'date', 'time', 'datetime'),
    open: column('open'),
    high: column('high'),
    low: column('low'),
    close: column('close'),
    volume: column('volume'),
  };
  if (at.time < 0 || at.close < 0) throw new Error('The bars CSV has no timestamp or close column.');
  const size = Math.max(0, lines.length - 1);
  const out = {
    time: new Float64Array(size),
    open: new Float64Array(size),
    high: new Float64Array(size),
    low: new Float64Array(size),
    close: new Float64Array(size),
    volume: new Float64Array(size),
  };
  let n = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length < 2) continue;
    const cells = line.split(',');
    const raw = (cells[at.time] ?? '').trim();
    // The store writes `2024-01-01 14:00:00+00:00`; Date wants a `T`.
    const ms = Date.parse(raw.includes('T') ? raw : raw.replace(' ', 'T'));
    if (Number.isNaN(ms)) continue;
    const close = Number(cells[at.close]);
    out.time[n] = ms / 1000;
    out.close[n] = close;
    out.open[n] = at.open < 0 ? close : Number(cells[at.open]);
    out.high[n] = at.high < 0 ? close : Number(cells[at.high]);
    out.low[n] = at.low < 0 ? close : Number(cells[at.low]);
    out.volume[n] = at.volume < 0 ? 0 : Number(cells[at.volume]);
    n++;
  }
  return {
    time: out.time.subarray(0, n),
    open: out.open.subarray(0, n),
    high: out.high.subarray(0, n),
    low: out.low.subarray(0, n),
    close: out.close.subarray(0, n),
    volume: out.volume.subarray(0, n),
    length: n,
  };
}
