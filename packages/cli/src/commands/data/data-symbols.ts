import type { CliContext } from '../../cli/context';
import { countFormat, sourceFormat, timeFormat } from '../../output/formatters';
import { SIMULATED_NOTE, printView } from '../../output/print-view';
import type { ViewBlock } from '../../output/view';
import { openSession } from '../../session/cli-session';

/** Lists every stored series (`GET /symbols`), real and simulated apart. */
export async function dataSymbols(context: CliContext): Promise<void> {
  await using session = await openSession(context);
  const { data } = await session.data.symbols({}, { signal: context.interrupt });
  const rows = data.flatMap((entry) => entry.series);
  const anySimulated = rows.some((row) => row.simulated);
  const where = session.mode === 'embedded' ? session.config.dataDir : session.target;
  const blocks: ViewBlock[] = [
    {
      kind: 'table',
      title: `Stored series in ${where}`,
      empty: 'No data stored yet: load some with ktrdr data load SYMBOL -t 1h.',
      columns: [
        { key: 'symbol', header: 'symbol' },
        { key: 'timeframe', header: 'tf' },
        { key: 'rows', header: 'bars', align: 'right', format: countFormat },
        { key: 'start', header: 'first bar', format: timeFormat },
        { key: 'end', header: 'last bar', format: timeFormat },
        { key: 'simulated', header: 'source', format: sourceFormat },
      ],
      rows,
    },
  ];
  // Real and simulated series can sit side by side: each row says which, and the note says what it means.
  if (anySimulated) blocks.push({ kind: 'text', text: SIMULATED_NOTE });
  printView(context, { blocks, json: data });
  if (anySimulated && context.format === 'csv') context.note(`note: ${SIMULATED_NOTE}`);
}
