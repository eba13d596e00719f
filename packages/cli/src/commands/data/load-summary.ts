import type { TypedOperationInfo } from '@ktrdr/client';
import type { DataLoadSummary } from '@ktrdr/data';
import type { CliContext } from '../../cli/context';
import { countFormat, durationBetween, durationFormat, timeFormat } from '../../output/formatters';
import type { ViewBlock, ViewField } from '../../output/view';

/**
 * The load's `result_summary` as this view reads it: every field may be absent (older servers, a
 * load that failed before it had anything to say).
 */
type LoadSummary = Partial<DataLoadSummary>;

/** The load summary of an operation, from its `result_summary`. */
export function loadSummaryOf(info: TypedOperationInfo<DataLoadSummary>): LoadSummary {
  return info.result_summary ?? {};
}

/**
 * The command that fetches what a load left missing: the same series in mode `full` over the
 * missing span; the store already holds the rest, so only the holes are requested.
 */
export function resumeCommand(
  context: CliContext,
  symbol: string,
  timeframe: string,
  summary: LoadSummary,
): string | undefined {
  const resume = summary.resume;
  if (resume === undefined || resume === null) return undefined;
  // The same target as this run: its data folder, or the API it was given on the command line.
  const dataDir = context.dataDir === undefined ? '' : ` --data-dir ${shellWord(context.dataDir)}`;
  const url = context.apiUrlSource === '--url' ? ` --url ${shellWord(context.apiUrl ?? '')}` : '';
  return `ktrdr data load ${symbol} -t ${timeframe} -m ${resume.mode} --start ${resume.start} --end ${resume.end}${dataDir}${url}`;
}

/** Rows of the ranges table before it is cut short. */
const MAX_RANGE_ROWS = 12;

/** `word` as a POSIX shell reads it back: as is when plain, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function segmentsText(segments: LoadSummary['segments'], status: string): string | undefined {
  if (segments === undefined) return undefined;
  // A cancelled load did not fail its remaining segments; it never fetched them.
  const failedWord = status === 'cancelled' ? 'not fetched' : 'failed';
  const noData = segments.no_data ?? 0;
  return (
    `${segments.completed ?? 0}/${segments.total ?? 0} (${segments.failed ?? 0} ${failedWord}` +
    `${noData > 0 ? `, ${noData} no data from IB` : ''})`
  );
}

/** Fields of the summary record. */
function loadFields(info: TypedOperationInfo<DataLoadSummary>, summary: LoadSummary): ViewField[] {
  return [
    { key: 'operation_id', label: 'operation', value: info.operation_id },
    { key: 'status', label: 'status', value: info.status },
    { key: 'bars', label: 'bars in range', value: summary.bars, format: countFormat },
    { key: 'added_bars', label: 'new bars', value: summary.added_bars, format: countFormat },
    { key: 'fetched_bars', label: 'fetched bars', value: summary.fetched_bars, format: countFormat },
    { key: 'first_bar', label: 'first bar', value: summary.first_bar, format: timeFormat },
    { key: 'last_bar', label: 'last bar', value: summary.last_bar, format: timeFormat },
    { key: 'segments', label: 'segments', value: segmentsText(summary.segments, info.status) },
    { key: 'file', label: 'file', value: summary.path },
    {
      key: 'duration_ms',
      label: 'took',
      value: durationBetween(info.started_at ?? info.created_at, info.completed_at),
      format: durationFormat,
    },
  ];
}

/** The ranges IB has no data for, and the ones still missing, as one table. */
function rangesBlock(summary: LoadSummary): ViewBlock | undefined {
  const rows = [
    ...(summary.missing_ranges ?? []).map((range) => ({ ...range, what: 'missing' })),
    ...(summary.no_data_ranges ?? []).map((range) => ({
      ...range,
      what: range.source === 'remembered' ? 'no data (remembered, not asked)' : 'no data from IB',
    })),
  ].sort((a, b) => a.start.localeCompare(b.start));
  if (rows.length === 0) return undefined;
  // A year of 1m bars can miss hundreds of ranges: the table shows the first ones, -f json all.
  const shown: Record<string, unknown>[] = rows.slice(0, MAX_RANGE_ROWS);
  if (rows.length > shown.length) {
    shown.push({ start: '...', end: '...', what: `${rows.length - shown.length} more (-f json lists all)` });
  }
  return {
    kind: 'table',
    title: 'Ranges without bars',
    columns: [
      { key: 'start', header: 'from', format: timeFormat },
      { key: 'end', header: 'to', format: timeFormat },
      { key: 'what', header: '' },
      { key: 'remembered_until', header: 'asked again after', format: (v) => (v ? timeFormat(v) : '') },
    ],
    rows: shown,
  };
}

/**
 * The blocks that show a load's outcome, finished or not: the summary, the ranges without bars,
 * and the command that fetches what is missing.
 */
export function loadSummaryBlocks(
  context: CliContext,
  info: TypedOperationInfo<DataLoadSummary>,
  title: string,
  symbol: string,
  timeframe: string,
): ViewBlock[] {
  const summary = loadSummaryOf(info);
  const blocks: ViewBlock[] = [{ kind: 'record', title, fields: loadFields(info, summary) }];
  const ranges = rangesBlock(summary);
  if (ranges !== undefined) blocks.push(ranges);
  const noData = summary.no_data_ranges?.length ?? 0;
  if (noData > 0) {
    blocks.push({
      kind: 'text',
      text: `IB has no data for ${plural(noData, 'range')}: not asked again until the time shown (--refetch-empty asks now).`,
    });
  }
  const resume = resumeCommand(context, symbol, timeframe, summary);
  if (resume !== undefined) {
    const missing = summary.missing_ranges?.length ?? 0;
    blocks.push({
      kind: 'text',
      text: `${plural(missing, 'range')} missing; bars already stored are kept. To fetch the rest, run:\n  ${resume}`,
    });
  }
  return blocks;
}
