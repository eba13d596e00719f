import { CsvStore, type StoredBarsAnswer, type StoredBarsQuery, readStoredBars } from '@ktrdr/data/store';
import type { CliContext } from '../../cli/context';
import { loadCliConfig } from '../../session/load-cli-config';

/** What `data show` asks for; dates as ISO strings, which both the store and the API take. */
export interface BarsQuery extends StoredBarsQuery {
  start?: string | undefined;
  end?: string | undefined;
}

/**
 * Stored bars for `data show`. Embedded, they are read from the store through `@ktrdr/data/store`:
 * the same function the API's route answers with, minus the service stack around it (zod, the
 * contracts, the IB client), which a command that fetches nothing would load for nothing: that
 * load alone is most of a cold start (see bench/RESULTS.md, cli-latency). With `--url`, the API
 * answers over one HTTP client.
 */
export async function readBars(context: CliContext, query: BarsQuery): Promise<StoredBarsAnswer> {
  if (context.apiUrl === undefined) {
    // Warnings travel in the answer (as they do from the API), and `data show` prints them.
    const store = new CsvStore({ dataDir: loadCliConfig(context).dataDir, onWarning: () => undefined });
    return readStoredBars(store, query);
  }
  const { openSession } = await import('../../session/cli-session');
  await using session = await openSession(context);
  return session.data.bars(query, { signal: context.interrupt });
}
