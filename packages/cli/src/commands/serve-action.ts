import type { StartServerOptions } from '@ktrdr/server';
import { CliUsageError } from '../cli/cli-errors';
import type { CliContext } from '../cli/context';
import { parseChoice } from '../cli/option-values';
import { loadCliConfig } from '../session/load-cli-config';
import { waitForInterrupt } from './wait-for-interrupt';

const COMMAND = 'ktrdr serve';
const KINDS = ['api', 'ib-host', 'training-host'] as const;

/** Arguments of `ktrdr serve`. */
export interface ServeArgs {
  kind: string;
  host?: string;
  port?: string;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new CliUsageError(
      `Invalid --port '${value}': use a whole number from 0 to 65535 (0 picks a free port).`,
      COMMAND,
    );
  }
  return port;
}

/**
 * Starts one ktrdr server with `startServer` of `@ktrdr/server` and runs it until Ctrl+C or
 * SIGTERM, then shuts it down gracefully and exits 0.
 */
export async function serve(context: CliContext, args: ServeArgs): Promise<void> {
  const kind = parseChoice(args.kind, KINDS, 'server kind', COMMAND);
  const port = parsePort(args.port);
  const config = loadCliConfig(context);
  const { startServer } = await import('@ktrdr/server');
  // The server builds its services (data, training, registry) from the configuration and owns them.
  const options: StartServerOptions = { kind, host: args.host, port, config, env: context.io.env };
  const server = await startServer(options);
  context.note(
    `${server.url} (${kind}) listening${server.requiresToken ? ', bearer token required' : ''}. Ctrl+C stops it.`,
  );
  if (context.format === 'json')
    context.out(JSON.stringify({ kind, url: server.url, origin: server.origin }));
  else context.out(server.url);
  try {
    await waitForInterrupt(context.interrupt);
    context.note('Shutting down (cancelling running work, closing connections)...');
  } finally {
    await server.close();
  }
  context.note('Stopped.');
}
