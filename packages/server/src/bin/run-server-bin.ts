import { type ArgsDef, defineCommand, parseArgs, renderUsage } from 'citty';
import packageJson from '../../package.json';
import { ENVIRONMENT_VARIABLES, isKtrdrError } from '@ktrdr/core';
import { API_TOKEN_VARIABLE } from '../auth/bearer-auth';
import { DEFAULT_BIND_HOST } from '../auth/bind-policy';
import { createPathRedactor } from '../http/redact-paths';
import { createServerLogger } from '../logging/create-server-logger';
import { LOG_LEVELS } from '../logging/log-settings';
import { DEFAULT_PORTS, SERVER_NAMES, type ServerKind } from '../server/server-kinds';
import { installShutdownHandlers } from '../server/shutdown-signals';
import { type RunningServer, startServer } from '../server/start-server';
import type { StartServerOptions } from '../server/start-server-options';
import {
  GENERIC_PORT_VARIABLE,
  HOST_VARIABLE,
  ListenAddressError,
  PORT_VARIABLES,
  resolveListenAddress,
} from './listen-address';
import { findUsageProblem, plainUsage } from './usage-problems';

/**
 * What a bin adds to the command-line options: the services of its kind, built from the parsed
 * options (its own `extraArgs` among them, as strings or booleans). @internal
 */
export type BinServices = (base: {
  host: string;
  port: number;
  args: Readonly<Record<string, unknown>>;
}) => Promise<StartServerOptions> | StartServerOptions;

/** The options of a server bin, as citty declares them; the default port is the kind's. */
function serverArgs(kind: ServerKind, extraArgs: ArgsDef = {}) {
  return {
    host: {
      type: 'string',
      valueHint: 'HOST',
      description: `Interface to bind (default ${DEFAULT_BIND_HOST}, or ${HOST_VARIABLE}; any other needs ${API_TOKEN_VARIABLE})`,
    },
    port: {
      type: 'string',
      valueHint: 'PORT',
      description: `Port to listen on (default ${DEFAULT_PORTS[kind]}, or ${PORT_VARIABLES[kind]}, then ${GENERIC_PORT_VARIABLE}; 0 picks a free one)`,
    },
    ...extraArgs,
    help: { type: 'boolean', alias: 'h', description: 'Show this help' },
    version: { type: 'boolean', alias: 'V', description: 'Print the version' },
  } as const satisfies ArgsDef;
}

async function usage(bin: string, kind: ServerKind, extraArgs: ArgsDef): Promise<string> {
  const command = defineCommand({
    // The version is inlined at build time, like `ktrdr --version`.
    meta: { name: bin, version: packageJson.version, description: `Starts the ${SERVER_NAMES[kind]}.` },
    args: serverArgs(kind, extraArgs),
  });
  const variables = Object.entries({
    ...ENVIRONMENT_VARIABLES,
    [API_TOKEN_VARIABLE]: 'Bearer token every request must carry (required to bind a non-loopback host).',
    [HOST_VARIABLE]: `Interface to bind when --host is not given (default ${DEFAULT_BIND_HOST}).`,
    [PORT_VARIABLES[kind]]:
      `Port when --port is not given (default ${GENERIC_PORT_VARIABLE}, else ${DEFAULT_PORTS[kind]}).`,
    [GENERIC_PORT_VARIABLE]: `Port when neither --port nor ${PORT_VARIABLES[kind]} is given.`,
    LOG_LEVEL: `Log level: ${LOG_LEVELS.join(', ')} (default info).`,
    LOG_FORMAT: 'Log lines: json or pretty (default pretty on a terminal, json otherwise).',
  })
    .map(([name, meaning]) => `  ${name.padEnd(27)} ${meaning}`)
    .join('\n');
  return [
    plainUsage(await renderUsage(command), process.stdout.isTTY === true),
    'ENVIRONMENT',
    '',
    variables,
    '',
    'SIGTERM or SIGINT (Ctrl+C) shuts down gracefully; a second one exits at once.',
  ].join('\n');
}

/** A bad command line: exit 2 with one line, like `ktrdr`. @internal */
export class BinUsageError extends Error {}

/**
 * The whole life of a server bin: parse `--host`/`--port` (and the bin's `extraArgs`) with citty
 * (like `ktrdr`; flags win over `KTRDR_HOST` and the port variables, which win over the defaults),
 * build the services, start with a pino logger on stdout (`LOG_LEVEL`, `LOG_FORMAT`; access log and IB
 * connection events), log the URL, shut down gracefully on SIGTERM/SIGINT. A bad command line exits 2;
 * other errors print their message (never a stack) and exit 1.
 * @internal
 */
export async function runServerBin(
  bin: string,
  kind: ServerKind,
  services: BinServices,
  argv: readonly string[] = process.argv.slice(2),
  extraArgs: ArgsDef = {},
): Promise<RunningServer | undefined> {
  try {
    const args = serverArgs(kind, extraArgs);
    const values = parseArgs<typeof args>([...argv], args);
    if (values.help === true) {
      process.stdout.write(`${await usage(bin, kind, extraArgs)}\n`);
      return undefined;
    }
    if (values.version === true) {
      process.stdout.write(`${packageJson.version}\n`);
      return undefined;
    }
    const problem = findUsageProblem(argv, args);
    if (problem !== undefined) throw new BinUsageError(problem);
    const { host, port } = resolveListenAddress(kind, { host: values.host, port: values.port });
    // LOG_LEVEL and LOG_FORMAT are checked before anything starts: a typo exits 1 naming them.
    const logger = createServerLogger({ name: bin });
    const server = await startServer({ ...(await services({ host, port, args: values })), logger });
    installShutdownHandlers(server, { log: (line) => logger.info(line) });
    logger.info(
      { url: server.url, requiresToken: server.requiresToken },
      `${SERVER_NAMES[kind]} listening on ${server.url}${server.requiresToken ? ' (bearer token required)' : ''}`,
    );
    return server;
  } catch (error) {
    if (error instanceof BinUsageError || error instanceof ListenAddressError) {
      process.stderr.write(`${bin}: ${error.message}. Run '${bin} --help' for usage.\n`);
      process.exitCode = 2;
      return undefined;
    }
    const message = isKtrdrError(error) || error instanceof Error ? error.message : String(error);
    // Logs carry no absolute server path: a folder is shown by its label (`<home>/...`).
    process.stderr.write(`${bin}: ${createPathRedactor()(message)}\n`);
    process.exitCode = 1;
    return undefined;
  }
}
