import type { StartServerOptions } from '@ktrdr/server';
import type { CliContext } from '../cli/context';
import { parseChoice, parsePort } from '../cli/option-values';
import { loadCliConfig } from '../session/load-cli-config';
import { announceDashboard, dashboardUrlOf } from './dashboard/dashboard-url';
import { waitForInterrupt } from './wait-for-interrupt';

const COMMAND = 'ktrdr serve';
const KINDS = ['api', 'ib-host', 'training-host'] as const;

/** Arguments of `ktrdr serve`. */
export interface ServeArgs {
  kind: string;
  host?: string;
  port?: string;
  redis?: string;
  /** api only: open the web dashboard in the browser. */
  open?: boolean;
  /** api only: print the dashboard's URL rather than the API's (`ktrdr dashboard`). */
  dashboard?: boolean;
}

/**
 * Starts one ktrdr server with `startServer` of `@ktrdr/server` and runs it until Ctrl+C or
 * SIGTERM, then shuts it down gracefully and exits 0.
 */
export async function serve(context: CliContext, args: ServeArgs): Promise<void> {
  const kind = parseChoice(args.kind, KINDS, 'server kind', COMMAND);
  const port = args.port === undefined ? undefined : parsePort(args.port, COMMAND);
  const config = loadCliConfig(context);
  // Loaded here only: the CLI's start-up loads neither the server nor pino.
  const { createServerLogger, startServer } = await import('@ktrdr/server');
  // Logs (access log, IB connection events) go to stderr: stdout carries the URL document.
  const logger = createServerLogger({ name: COMMAND, stream: context.io.stderr, env: context.io.env });
  // The server builds its services (data, training, registry) from the configuration and owns them.
  const options: StartServerOptions = { kind, host: args.host, port, config, env: context.io.env, logger };
  // With Redis (api only), operations are jobs for `ktrdr worker`s; @ktrdr/queue loads only then
  // (assembled in @ktrdr/client).
  if (options.kind === 'api') {
    const { openApiQueue } = await import('@ktrdr/client/services');
    options.queue = await openApiQueue({ redisUrl: args.redis, env: context.io.env });
  }
  const server = await startServer(options);
  context.note(
    `${server.url} (${kind}) listening${server.requiresToken ? ', bearer token required' : ''}. Ctrl+C stops it.`,
  );
  const printed = args.dashboard === true ? dashboardUrlOf(server.origin) : server.url;
  if (context.format === 'json') context.out(JSON.stringify({ kind, url: printed, origin: server.origin }));
  else context.out(printed);
  if (kind === 'api' && (args.open === true || args.dashboard === true))
    await announceDashboard(context, server.origin, {
      requiresToken: server.requiresToken,
      open: args.open === true,
    });
  try {
    await waitForInterrupt(context.interrupt);
    context.note('Shutting down (cancelling running work, closing connections)...');
  } finally {
    await server.close();
  }
  context.note('Stopped.');
}
