import type { DataLoadSummary, LoadMode } from '@ktrdr/data';
import type { CliContext } from '../../cli/context';
import { EXIT_CODES, interruptExitCode } from '../../cli/exit-codes';
import { parseChoice, parseIsoDate } from '../../cli/option-values';
import { printView } from '../../output/print-view';
import { openSession } from '../../session/cli-session';
import { followOperation, operationError } from '../follow-operation';
import { loadSummaryBlocks } from './load-summary';

const COMMAND = 'ktrdr data load';

/** Arguments of `ktrdr data load`. */
export interface DataLoadArgs {
  symbol: string;
  timeframe?: string;
  mode?: string;
  start?: string;
  end?: string;
  progress?: boolean;
  'refetch-empty'?: boolean;
  pacing?: string;
}

const PACING_POLICIES = ['practical', 'strict'] as const;

/** What each policy means, in the line that names the policy in use. */
const PACING_NOTES: Record<string, string> = {
  practical:
    "IB's hard rules for bars of 30 s or less, several sessions per request and adaptive throttling above",
  strict:
    "IB's hard rules (60 requests per 10 minutes) for every bar size, one day of 1-minute bars per request",
};

/**
 * Starts a load through the data API (`POST /data/load`), follows it to its end with progress, and
 * shows what was stored. A load that ends early (the gateway lost, Ctrl+C, SIGTERM) still shows
 * what it kept, what is missing and the command that fetches the rest: exit 4 when a service was
 * lost, 130 after SIGINT, 143 after SIGTERM.
 */
export async function dataLoad(context: CliContext, args: DataLoadArgs): Promise<void> {
  const timeframe = args.timeframe ?? '1h';
  const { LOAD_MODES } = await import('@ktrdr/data');
  const mode: LoadMode = parseChoice(args.mode ?? 'tail', LOAD_MODES, '--mode', COMMAND);
  const start = parseIsoDate(args.start, '--start', COMMAND);
  const end = parseIsoDate(args.end, '--end', COMMAND);
  const pacing =
    args.pacing === undefined ? undefined : parseChoice(args.pacing, PACING_POLICIES, '--pacing', COMMAND);
  await using session = await openSession(context);
  const started = await session.data.load(
    {
      symbol: args.symbol,
      timeframe,
      mode,
      start_date: start ?? null,
      end_date: end ?? null,
      ...(args['refetch-empty'] === true ? { refetch_empty: true } : {}),
      ...(pacing === undefined ? {} : { pacing }),
    },
    { signal: context.interrupt },
  );
  const symbol = String(started.data.metadata['symbol'] ?? args.symbol);
  // The policy the load runs under, as the service decided it (the flag, else its configuration).
  const policy = started.data.metadata['pacing'] ?? pacing;
  // Part of the progress display: `--no-progress` hides it too.
  if (typeof policy === 'string' && mode !== 'local' && args.progress !== false) {
    const why = PACING_NOTES[policy];
    context.note(`Pacing: ${policy}${why === undefined ? '' : ` (${why}); the ETA comes from its plan`}.`);
  }
  const { info, interrupted } = await followOperation<DataLoadSummary>(context, session, {
    operationId: started.operation_id,
    label: `${symbol} ${timeframe} ${mode}`,
    stepsUnit: 'segments',
    itemsUnit: 'bars',
    progress: args.progress !== false,
    onInterrupt: 'cancel',
  });

  const simulated = info.result_summary?.simulated === true;
  const show = (title: string) => {
    printView(context, {
      blocks: loadSummaryBlocks(context, info, title, symbol, timeframe),
      simulated,
      json: { ...info, simulated },
    });
    // What the store worked around (a torn last row, an unreadable "no data" memory), as the store reported it.
    for (const warning of info.result_summary?.warnings ?? []) context.note(`warning: ${warning.message}`);
  };

  if (info.status === 'completed') {
    show(`Loaded ${symbol} ${timeframe} (${mode})`);
    for (const notice of info.result_summary?.notices ?? []) context.note(`note: ${notice}`);
    const failed = info.result_summary?.failed_segments?.length ?? 0;
    if (failed > 0) {
      context.note(`warning: ${failed} segment(s) could not be fetched; load again to retry them.`);
      context.exitCode = EXIT_CODES.error;
    }
    return;
  }
  if (info.status === 'cancelled' && interrupted) {
    if (info.result_summary !== undefined) show(`Stopped loading ${symbol} ${timeframe} (${mode})`);
    else if (context.format === 'json') context.out(JSON.stringify(info, null, 2));
    context.note(`Cancelled ${info.operation_id}: bars fetched so far were kept; nothing is half-written.`);
    context.exitCode = interruptExitCode(context.interrupt);
    return;
  }
  if (interrupted && (info.status === 'running' || info.status === 'pending')) {
    context.note(`${info.operation_id} is still ${info.status}; it did not stop in time.`);
    context.exitCode = interruptExitCode(context.interrupt);
    return;
  }
  // Failed: what was kept and how to resume first (stdout), then the error line (stderr).
  if (info.result_summary !== undefined) show(`Failed loading ${symbol} ${timeframe} (${mode})`);
  throw operationError(info);
}
