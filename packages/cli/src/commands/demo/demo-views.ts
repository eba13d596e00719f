import type { TypedOperationInfo } from '@ktrdr/client';
import type { DataLoadSummary } from '@ktrdr/data';
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
export function demoLoadOf(info: TypedOperationInfo<DataLoadSummary>): DemoLoad {
  const s: Partial<DataLoadSummary> = info.result_summary ?? {};
  return {
    symbol: s.symbol ?? String(info.metadata['symbol']),
    timeframe: s.timeframe ?? String(info.metadata['timeframe']),
    bars: s.bars ?? 0,
    added_bars: s.added_bars ?? 0,
    first_bar: s.first_bar ?? null,
    last_bar: s.last_bar ?? null,
    file: s.path ?? null,
    simulated: s.simulated === true,
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
