import { parseIsoDate, parseOptionalPositiveInteger } from '../../cli/option-values';
import type { CliContext } from '../../cli/context';
import { countFormat, formatBarTime, priceFormatter } from '../../output/formatters';
import { printView } from '../../output/print-view';
import type { View, ViewBlock } from '../../output/view';
import { withLoadHint } from './load-hint';
import { readBars } from './read-bars';

const COMMAND = 'ktrdr data show';

/** Arguments of `ktrdr data show`. */
export interface DataShowArgs {
  symbol: string;
  timeframe?: string;
  rows?: string;
  start?: string;
  end?: string;
  chart?: boolean;
}

/** Reads stored bars (embedded, or through the API with `--url`) and shows them as a table, json, csv or a chart. */
export async function dataShow(context: CliContext, args: DataShowArgs): Promise<void> {
  const timeframe = args.timeframe ?? '1d';
  const chart = args.chart === true && context.format === 'table';
  const limit = parseOptionalPositiveInteger(args.rows, '--rows', COMMAND) ?? (chart ? 120 : 10);
  const start = parseIsoDate(args.start, '--start', COMMAND);
  const end = parseIsoDate(args.end, '--end', COMMAND);
  const answer = await readBars(context, { symbol: args.symbol, timeframe, start, end, limit }).catch(
    withLoadHint(args.symbol, timeframe),
  );
  // The store's warnings (such as a torn last row it left out) go to stderr, keeping stdout clean.
  for (const warning of answer.warnings ?? []) context.note(`warning: ${warning.message}`);

  const bars = answer.data;
  const first = bars[0];
  const last = bars[bars.length - 1];
  const range =
    first && last
      ? ` · ${formatBarTime(first.date, timeframe)} → ${formatBarTime(last.date, timeframe)} UTC`
      : '';
  const title = `${answer.symbol} ${answer.timeframe} · ${bars.length} bars${range}`;
  const price = priceFormatter(bars.flatMap((bar) => [bar.open, bar.high, bar.low, bar.close]));
  const blocks: ViewBlock[] = chart
    ? [
        {
          kind: 'chart',
          title: `${title} · close`,
          series: [{ name: 'close', values: bars.map((bar) => bar.close) }],
          options: {
            formatY: (value) => price(value),
            xLabels:
              first && last
                ? [formatBarTime(first.date, timeframe), formatBarTime(last.date, timeframe)]
                : undefined,
          },
        },
      ]
    : [
        {
          kind: 'table',
          title,
          empty: `No ${answer.timeframe} bars of ${answer.symbol} in that range.`,
          columns: [
            { key: 'date', header: 'date (UTC)', format: (value) => formatBarTime(String(value), timeframe) },
            { key: 'open', header: 'open', align: 'right', format: price },
            { key: 'high', header: 'high', align: 'right', format: price },
            { key: 'low', header: 'low', align: 'right', format: price },
            { key: 'close', header: 'close', align: 'right', format: price },
            { key: 'volume', header: 'volume', align: 'right', format: countFormat },
          ],
          rows: bars,
        },
      ];
  const view: View = {
    blocks,
    simulated: answer.simulated,
    json: {
      symbol: answer.symbol,
      timeframe: answer.timeframe,
      simulated: answer.simulated,
      rows: bars.length,
      bars,
    },
  };
  printView(context, view);
}
