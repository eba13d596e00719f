import type { OperationInfo } from '@ktrdr/core';
import type { LoadMode } from '@ktrdr/data';
import type { CliContext } from '../../cli/context';
import { EXIT_CODES } from '../../cli/exit-codes';
import { parseChoice, parseIsoDate } from '../../cli/option-values';
import { countFormat, durationBetween, durationFormat, timeFormat } from '../../output/formatters';
import { printView } from '../../output/print-view';
import type { ViewField } from '../../output/view';
import { openSession } from '../../session/cli-session';
import { followOperation, operationError } from '../follow-operation';

const COMMAND = 'ktrdr data load';

/** Arguments of `ktrdr data load`. */
export interface DataLoadArgs {
  symbol: string;
  timeframe?: string;
  mode?: string;
  start?: string;
  end?: string;
  progress?: boolean;
}

/** The summary of a finished load, from its operation's `result_summary`. */
function loadFields(info: OperationInfo): ViewField[] {
  const summary = info.result_summary ?? {};
  const segments = summary['segments'] as { total?: number; completed?: number; failed?: number } | undefined;
  return [
    { key: 'operation_id', label: 'operation', value: info.operation_id },
    { key: 'status', label: 'status', value: info.status },
    { key: 'bars', label: 'bars in range', value: summary['bars'], format: countFormat },
    { key: 'added_bars', label: 'new bars', value: summary['added_bars'], format: countFormat },
    { key: 'fetched_bars', label: 'fetched bars', value: summary['fetched_bars'], format: countFormat },
    { key: 'first_bar', label: 'first bar', value: summary['first_bar'], format: timeFormat },
    { key: 'last_bar', label: 'last bar', value: summary['last_bar'], format: timeFormat },
    {
      key: 'segments',
      label: 'segments',
      value:
        segments === undefined
          ? undefined
          : `${segments.completed ?? 0}/${segments.total ?? 0} (${segments.failed ?? 0} failed)`,
    },
    { key: 'file', label: 'file', value: summary['path'] },
    {
      key: 'duration_ms',
      label: 'took',
      value: durationBetween(info.started_at ?? info.created_at, info.completed_at),
      format: durationFormat,
    },
  ];
}

/**
 * Starts a load through the data API (`POST /data/load`), follows it to its end with progress, and
 * shows what was stored. Ctrl+C cancels the operation and exits 130.
 */
export async function dataLoad(context: CliContext, args: DataLoadArgs): Promise<void> {
  const timeframe = args.timeframe ?? '1h';
  const { LOAD_MODES } = await import('@ktrdr/data');
  const mode: LoadMode = parseChoice(args.mode ?? 'tail', LOAD_MODES, '--mode', COMMAND);
  const start = parseIsoDate(args.start, '--start', COMMAND);
  const end = parseIsoDate(args.end, '--end', COMMAND);
  await using session = await openSession(context);
  const started = await session.data.load(
    { symbol: args.symbol, timeframe, mode, start_date: start ?? null, end_date: end ?? null },
    { signal: context.interrupt },
  );
  const symbol = String(started.data.metadata['symbol'] ?? args.symbol);
  const { info, interrupted } = await followOperation(context, session, {
    operationId: started.operation_id,
    label: `${symbol} ${timeframe} ${mode}`,
    stepsUnit: 'segments',
    itemsUnit: 'bars',
    progress: args.progress !== false,
    onInterrupt: 'cancel',
  });

  if (info.status === 'completed') {
    const simulated = info.result_summary?.['simulated'] === true;
    printView(context, {
      blocks: [
        { kind: 'record', title: `Loaded ${symbol} ${timeframe} (${mode})`, fields: loadFields(info) },
      ],
      simulated,
      json: { ...info, simulated },
    });
    for (const notice of (info.result_summary?.['notices'] as string[] | undefined) ?? [])
      context.note(`note: ${notice}`);
    const failed = (info.result_summary?.['failed_segments'] as unknown[] | undefined)?.length ?? 0;
    if (failed > 0) {
      context.note(`warning: ${failed} segment(s) could not be fetched; run the load again to retry them.`);
      context.exitCode = EXIT_CODES.error;
    }
    return;
  }
  if (info.status === 'cancelled' && interrupted) {
    context.note(`Cancelled ${info.operation_id}: bars fetched so far were kept; nothing is half-written.`);
    if (context.format === 'json') context.out(JSON.stringify(info, null, 2));
    context.exitCode = EXIT_CODES.interrupted;
    return;
  }
  if (interrupted) {
    context.note(`${info.operation_id} is still ${info.status}; it did not stop in time.`);
    context.exitCode = EXIT_CODES.interrupted;
    return;
  }
  throw operationError(info);
}
