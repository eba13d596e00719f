import { parseArgs } from 'node:util';
import packageJson from '../../package.json';
import { ENVIRONMENT_VARIABLES, isKtrdrError } from '@ktrdr/core';
import { API_TOKEN_VARIABLE } from '../auth/bearer-auth';
import { DEFAULT_BIND_HOST } from '../auth/bind-policy';
import { createPathRedactor } from '../http/redact-paths';
import { DEFAULT_PORTS, SERVER_NAMES, type ServerKind } from '../server/server-kinds';
import { installShutdownHandlers } from '../server/shutdown-signals';
import { type RunningServer, startServer } from '../server/start-server';
import type { StartServerOptions } from '../server/start-server-options';

/** What a bin adds to the command-line options: the services of its kind. @internal */
export type BinServices = (base: {
  host: string;
  port: number;
  /** `--redis URL` (the API only). */
  redis?: string | undefined;
}) => Promise<StartServerOptions> | StartServerOptions;

function usage(bin: string, kind: ServerKind): string {
  const variables = Object.entries({
    ...ENVIRONMENT_VARIABLES,
    [API_TOKEN_VARIABLE]: 'Bearer token every request must carry (required to bind a non-loopback host).',
  })
    .map(([name, meaning]) => `  ${name.padEnd(27)} ${meaning}`)
    .join('\n');
  return [
    `Usage: ${bin} [--host HOST] [--port PORT]`,
    '',
    `Starts the ${SERVER_NAMES[kind]}.`,
    '',
    'Options:',
    `  --host HOST   interface to bind (default ${DEFAULT_BIND_HOST}; any other needs ${API_TOKEN_VARIABLE})`,
    `  --port PORT   port to listen on (default ${DEFAULT_PORTS[kind]}; 0 picks a free one)`,
    ...(kind === 'api'
      ? [
          '  --redis URL   run operations as BullMQ jobs on this Redis (default KTRDR_REDIS_URL; unset: in-process)',
        ]
      : []),
    '  -h, --help    show this help',
    '  --version     print the version',
    '',
    'Environment:',
    variables,
    '',
    'SIGTERM or SIGINT (Ctrl+C) shuts down gracefully; a second one exits at once.',
  ].join('\n');
}

function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535)
    throw new Error(`--port must be an integer from 0 to 65535, got '${raw}'.`);
  return port;
}

/**
 * The whole life of a server bin: parse `--host`/`--port`, build the services, start, print the URL,
 * shut down gracefully on SIGTERM/SIGINT. Errors print their message (never a stack) and exit 1.
 * @internal
 */
export async function runServerBin(
  bin: string,
  kind: ServerKind,
  services: BinServices,
  argv: readonly string[] = process.argv.slice(2),
): Promise<RunningServer | undefined> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        ...(kind === 'api' ? { redis: { type: 'string' as const } } : {}),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.help === true) {
      process.stdout.write(`${usage(bin, kind)}\n`);
      return undefined;
    }
    if (values.version === true) {
      // Inlined at build time, like `ktrdr --version`.
      process.stdout.write(`${packageJson.version}\n`);
      return undefined;
    }
    const host = values.host ?? DEFAULT_BIND_HOST;
    const port = parsePort(values.port, DEFAULT_PORTS[kind]);
    const redis = (values as { redis?: string }).redis;
    const server = await startServer(await services({ host, port, redis }));
    installShutdownHandlers(server);
    process.stdout.write(
      `${SERVER_NAMES[kind]} listening on ${server.url}${server.requiresToken ? ' (bearer token required)' : ''}\n`,
    );
    return server;
  } catch (error) {
    const message = isKtrdrError(error) || error instanceof Error ? error.message : String(error);
    // Logs carry no absolute server path: a folder is shown by its label (`<home>/...`).
    process.stderr.write(`${bin}: ${createPathRedactor()(message)}\n`);
    if (!isKtrdrError(error)) process.stderr.write(`Run ${bin} --help for usage.\n`);
    process.exitCode = 1;
    return undefined;
  }
}
