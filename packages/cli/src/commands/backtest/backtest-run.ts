import type { BacktestSummary } from '@ktrdr/client';
import { CliUsageError } from '../../cli/cli-errors';
import type { CliContext } from '../../cli/context';
import { EXIT_CODES } from '../../cli/exit-codes';
import { parseChoice, parseIsoDate, parseNonNegativeNumber } from '../../cli/option-values';
import { printView } from '../../output/print-view';
import { type CliSession, openSession } from '../../session/cli-session';
import { followOperation, operationError } from '../follow-operation';
import { equityChart, metricsTable, summaryRecord, tradesTable, warningBlocks } from './backtest-views';

const COMMAND = 'ktrdr backtest run';
/** Points of the equity curve fetched for the chart: more than a terminal is wide. */
const CHART_POINTS = 400;

/** Arguments of `ktrdr backtest run`. */
export interface BacktestRunArgs {
  model: string;
  symbol: string;
  timeframe?: string;
  start?: string;
  end?: string;
  capital?: string;
  fraction?: string;
  units?: string;
  commission?: string;
  slippage?: string;
  threshold?: string;
  separation?: string;
  short?: boolean;
  metrics?: string;
  'risk-free'?: string;
  progress?: boolean;
}

const optionalNumber = (value: string | undefined, option: string) =>
  value === undefined ? undefined : parseNonNegativeNumber(value, option, COMMAND);

/** The request's settings from the options; only what was given (the rest: the strategy's, else the defaults). */
function settingsOf(args: BacktestRunArgs) {
  const settings = {
    capital: optionalNumber(args.capital, '--capital'),
    position_fraction: optionalNumber(args.fraction, '--fraction'),
    units:
      args.units === undefined
        ? undefined
        : parseChoice(args.units, ['whole', 'fractional'] as const, '--units', COMMAND),
    commission: optionalNumber(args.commission, '--commission'),
    slippage: optionalNumber(args.slippage, '--slippage'),
    confidence_threshold: optionalNumber(args.threshold, '--threshold'),
    min_signal_separation: optionalNumber(args.separation, '--separation'),
    allow_short: args.short === false ? false : undefined,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/** Shows a finished backtest: its summary, chart, metrics beside buy-and-hold and latest trades. */
export async function showBacktest(
  context: CliContext,
  session: CliSession,
  backtestId: string,
  options: { trades: number; title?: string },
): Promise<void> {
  const { data: detail } = await session.client.backtests.show(
    { backtest_id: backtestId, points: CHART_POINTS },
    { signal: context.interrupt },
  );
  printView(context, {
    blocks: [
      summaryRecord(detail, options.title),
      ...warningBlocks(detail),
      equityChart(detail),
      metricsTable(detail),
      tradesTable(detail, options.trades),
    ],
    simulated: detail.simulated,
    json: detail,
  });
}

/** Starts a backtest, follows it (Ctrl+C cancels), then shows its chart and metrics. */
export async function backtestRun(context: CliContext, args: BacktestRunArgs): Promise<void> {
  const start = parseIsoDate(args.start, '--start', COMMAND);
  if (start === undefined) {
    throw new CliUsageError(
      'Give --start: the first bar to backtest from (ISO 8601, e.g. 2024-06-01).',
      COMMAND,
    );
  }
  const end = parseIsoDate(args.end, '--end', COMMAND);
  const metricsMode =
    args.metrics === undefined
      ? undefined
      : parseChoice(args.metrics, ['standard', 'ktrdr'] as const, '--metrics', COMMAND);
  const riskFree = optionalNumber(args['risk-free'], '--risk-free');
  const settings = settingsOf(args);
  await using session = await openSession(context);
  const started = await session.client.backtests.start(
    {
      model: args.model,
      symbol: args.symbol,
      ...(args.timeframe === undefined ? {} : { timeframe: args.timeframe }),
      start_date: start,
      ...(end === undefined ? {} : { end_date: end }),
      ...(Object.keys(settings).length === 0 ? {} : { settings }),
      ...(metricsMode === undefined ? {} : { metrics_mode: metricsMode }),
      ...(riskFree === undefined ? {} : { risk_free_rate: riskFree }),
    },
    { signal: context.interrupt },
  );
  const { info, interrupted } = await followOperation<BacktestSummary>(context, session, {
    operationId: started.id,
    label: `backtest ${args.model} on ${args.symbol}`,
    stepsUnit: 'steps',
    itemsUnit: 'bars',
    progress: args.progress !== false,
    onInterrupt: 'cancel',
  });
  if (info.status === 'completed' && info.result_summary !== undefined) {
    await showBacktest(context, session, info.result_summary.backtest_id, { trades: 10 });
    return;
  }
  if (interrupted) {
    context.note(`${info.status === 'cancelled' ? 'Cancelled' : 'Stopped following'} ${info.operation_id}.`);
    if (context.format === 'json') context.out(JSON.stringify({ operation: info, backtest: null }, null, 2));
    context.exitCode = EXIT_CODES.interrupted;
    return;
  }
  throw operationError(info);
}
