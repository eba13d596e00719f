import type { CliContext } from '../../cli/context';
import { parseOptionalPositiveInteger } from '../../cli/option-values';
import { timeFormat } from '../../output/formatters';
import { printView } from '../../output/print-view';
import { formatCount, formatPercent } from '../../render/numbers';
import { openSession } from '../../session/cli-session';
import { showBacktest } from './backtest-run';

const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v) : '-');

/** Lists stored backtests. */
export async function backtestList(context: CliContext): Promise<void> {
  await using session = await openSession(context);
  const { data } = await session.client.backtests.list({}, { signal: context.interrupt });
  const rows = data.backtests.map((b) => ({
    backtest_id: b.backtest_id,
    model: b.model,
    series: `${b.symbol} ${b.timeframe}`,
    start_date: b.start_date,
    end_date: b.end_date,
    bars: b.bars,
    return: b.metrics['total_return_pct'] ?? null,
    buy_and_hold: b.buy_and_hold['total_return_pct'] ?? null,
    trades: b.metrics['total_trades'] ?? null,
    simulated: b.simulated,
  }));
  printView(context, {
    blocks: [
      {
        kind: 'table',
        title: session.mode === 'embedded' ? 'Backtests' : `Backtests at ${session.target}`,
        empty: 'No backtests yet: run one with ktrdr backtest run MODEL SYMBOL --start DATE.',
        columns: [
          { key: 'backtest_id', header: 'backtest' },
          { key: 'model', header: 'model' },
          { key: 'series', header: 'bars' },
          { key: 'start_date', header: 'from', format: timeFormat },
          { key: 'end_date', header: 'to', format: timeFormat },
          { key: 'return', header: 'return', align: 'right', format: pct },
          { key: 'buy_and_hold', header: 'buy & hold', align: 'right', format: pct },
          {
            key: 'trades',
            header: 'trades',
            align: 'right',
            format: (v) => (typeof v === 'number' ? formatCount(v) : '-'),
          },
          { key: 'simulated', header: 'data', format: (v) => (v === true ? 'SIMULATED' : 'real') },
        ],
        rows,
      },
    ],
    simulated: rows.some((r) => r.simulated),
    json: data,
  });
  // Damaged folders are left out of the table, never dropped unseen.
  for (const problem of data.problems) context.note(`warning: ${problem.message} (left out of this list)`);
}

/** Arguments of `ktrdr backtest show`. */
export interface BacktestShowArgs {
  id: string;
  trades?: string;
}

/** Shows a stored backtest. */
export async function backtestShow(context: CliContext, args: BacktestShowArgs): Promise<void> {
  const trades = parseOptionalPositiveInteger(args.trades, '--trades', 'ktrdr backtest show') ?? 10;
  await using session = await openSession(context);
  await showBacktest(context, session, args.id, { trades });
}
