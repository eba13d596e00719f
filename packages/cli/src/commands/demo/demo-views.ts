import type { OperationInfo } from '@ktrdr/core';
import { countFormat, timeFormat } from '../../output/formatters';
import type { TableBlock } from '../../output/view';

/** One loaded series in the demo's summary. */
export interface DemoLoad {
  symbol: string;
  timeframe: string;
  bars: number;
  added_bars: number;
  first_bar: string | null;
  last_bar: string | null;
  file: string | null;
  simulated: boolean;
  operation_id: string;
}

/** The demo's row for a finished load operation. */
export function demoLoadOf(info: OperationInfo): DemoLoad {
  const s = info.result_summary ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    symbol: String(s['symbol'] ?? info.metadata['symbol']),
    timeframe: String(s['timeframe'] ?? info.metadata['timeframe']),
    bars: typeof s['bars'] === 'number' ? s['bars'] : 0,
    added_bars: typeof s['added_bars'] === 'number' ? s['added_bars'] : 0,
    first_bar: text(s['first_bar']),
    last_bar: text(s['last_bar']),
    file: text(s['path']),
    simulated: s['simulated'] === true,
    operation_id: info.operation_id,
  };
}

/** What the demo loaded. */
export function loadsTable(loads: readonly DemoLoad[]): TableBlock {
  return {
    kind: 'table',
    title: 'Data loaded through the SDK (direct IB over TCP to the simulator)',
    columns: [
      { key: 'symbol', header: 'symbol' },
      { key: 'timeframe', header: 'tf' },
      { key: 'bars', header: 'bars', align: 'right', format: countFormat },
      { key: 'added_bars', header: 'new', align: 'right', format: countFormat },
      { key: 'first_bar', header: 'first bar', format: timeFormat },
      { key: 'last_bar', header: 'last bar', format: timeFormat },
      { key: 'file', header: 'file' },
    ],
    rows: loads.map((load) => ({ ...load })),
  };
}
