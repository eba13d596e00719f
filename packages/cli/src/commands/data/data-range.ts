import type { CliContext } from '../../cli/context';
import { countFormat, sourceFormat, timeFormat } from '../../output/formatters';
import { printView } from '../../output/print-view';
import { openSession } from '../../session/cli-session';
import { withLoadHint } from './load-hint';

/** Arguments of `ktrdr data range`. */
export interface DataRangeArgs {
  symbol: string;
  timeframe?: string;
}

/** Shows the first and last stored bar of a series (`POST /data/range`). */
export async function dataRange(context: CliContext, args: DataRangeArgs): Promise<void> {
  const timeframe = args.timeframe ?? '1h';
  await using session = await openSession(context);
  const { data } = await session.data
    .range({ symbol: args.symbol, timeframe }, { signal: context.interrupt })
    .catch(withLoadHint(args.symbol, timeframe));
  printView(context, {
    blocks: [
      {
        kind: 'record',
        title: `${data.symbol} ${data.timeframe} stored range`,
        fields: [
          { key: 'start', label: 'first bar', value: data.start, format: timeFormat },
          { key: 'end', label: 'last bar', value: data.end, format: timeFormat },
          { key: 'rows', label: 'bars', value: data.rows, format: countFormat },
          { key: 'simulated', label: 'source', value: data.simulated, format: sourceFormat },
        ],
      },
    ],
    simulated: data.simulated,
    json: data,
  });
}
