/**
 * Command-line arguments of `ktrdr-ib-sim`, parsed with citty (like `ktrdr`) into simulator
 * options. Kept apart from the bin's entry point so it can be tested without starting a process.
 */
import { type ArgsDef, type CommandDef, defineCommand, parseArgs, renderUsage } from 'citty';
import packageJson from '../../package.json';
import type { IbSimulatorOptions } from '../options';
import { parseLatencyArgument } from '../server/latency';
import type { PacingMode } from '../server/pacing';
import { findUsageProblem, plainUsage } from './usage-problems';

const PACING_MODES: readonly PacingMode[] = ['strict', 'practical', 'off'];

/** The options of `ktrdr-ib-sim`, as citty declares them. */
export const IB_SIM_ARGS = {
  port: { type: 'string', valueHint: 'n', description: 'TCP port (default 4002; 0 picks a free one)' },
  host: { type: 'string', valueHint: 'address', description: 'Interface to listen on (default 127.0.0.1)' },
  seed: { type: 'string', valueHint: 'value', description: 'Seed of the synthetic market data (default 1)' },
  latency: {
    type: 'string',
    valueHint: 'ms|a-b',
    description: 'Reply latency: fixed ms or a uniform range such as 20-200 (default 0)',
  },
  pacing: { type: 'string', valueHint: PACING_MODES.join('|'), description: 'IB pacing (default practical)' },
  'time-scale': {
    type: 'string',
    valueHint: 'n',
    description: 'Speed-up of pacing windows, e.g. 60 = 10 minutes in 10 s (default 1)',
  },
  'server-version': {
    type: 'string',
    valueHint: 'n',
    description: 'Highest server version to announce, 164-193 (default 193)',
  },
  help: { type: 'boolean', alias: 'h', description: 'Show this help' },
  version: { type: 'boolean', alias: 'V', description: 'Print the version' },
} as const satisfies ArgsDef;

/** `ktrdr-ib-sim` as a citty command: its name, version (inlined at build time) and options. */
export const IB_SIM_COMMAND: CommandDef<typeof IB_SIM_ARGS> = defineCommand({
  meta: {
    name: 'ktrdr-ib-sim',
    version: packageJson.version,
    description: 'An IB Gateway simulator speaking the TWS API (announces account KTRDRSIM01).',
  },
  args: IB_SIM_ARGS,
});

/** The help text `--help` prints. */
export async function usage(tty = false): Promise<string> {
  return plainUsage(await renderUsage(IB_SIM_COMMAND), tty);
}

/** Result of parsing: options to start with, a request for help or the version, or an error message. */
export type CliParseResult =
  | { readonly kind: 'run'; readonly options: IbSimulatorOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'error'; readonly message: string };

/** Parses argv (without `node` and the script path). The bin's default port is 4002, IB Gateway paper's. */
export function parseCliArgs(argv: readonly string[]): CliParseResult {
  const args = parseArgs<typeof IB_SIM_ARGS>([...argv], IB_SIM_ARGS);
  if (args.help === true) return { kind: 'help' };
  if (args.version === true) return { kind: 'version' };
  const problem = findUsageProblem(argv, IB_SIM_ARGS);
  if (problem !== undefined) return { kind: 'error', message: problem };
  const options: { -readonly [K in keyof IbSimulatorOptions]: IbSimulatorOptions[K] } = { port: 4002 };
  const error = (message: string): CliParseResult => ({ kind: 'error', message });
  if (args.port !== undefined) {
    const port = Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return error(`--port must be an integer 0-65535, got "${args.port}"`);
    }
    options.port = port;
  }
  if (args.host !== undefined) options.host = args.host;
  if (args.seed !== undefined) options.seed = /^-?\d+$/.test(args.seed) ? Number(args.seed) : args.seed;
  if (args.latency !== undefined) {
    const latency = parseLatencyArgument(args.latency);
    if (latency === undefined) {
      return error(`--latency must be milliseconds (50) or a range (20-200), got "${args.latency}"`);
    }
    options.latencyMs = latency;
  }
  if (args.pacing !== undefined) {
    if (!PACING_MODES.includes(args.pacing as PacingMode)) {
      return error(`--pacing must be one of ${PACING_MODES.join(', ')}, got "${args.pacing}"`);
    }
    options.pacing = args.pacing as PacingMode;
  }
  const timeScale = args['time-scale'];
  if (timeScale !== undefined) {
    if (!(Number(timeScale) > 0)) return error(`--time-scale must be a number > 0, got "${timeScale}"`);
    options.timeScale = Number(timeScale);
  }
  const serverVersion = args['server-version'];
  if (serverVersion !== undefined) {
    if (!Number.isInteger(Number(serverVersion))) {
      return error(`--server-version must be an integer, got "${serverVersion}"`);
    }
    options.serverVersion = Number(serverVersion);
  }
  return { kind: 'run', options };
}
