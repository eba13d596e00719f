/**
 * Command-line arguments of `ktrdr-ib-sim`, parsed into simulator options. Kept apart from the bin's
 * entry point so it can be tested without starting a process.
 */
import type { IbSimulatorOptions } from '../options';
import { parseLatencyArgument } from '../server/latency';
import type { PacingMode } from '../server/pacing';

/** Usage text printed by `--help` and after argument errors. */
export const USAGE = `Usage: ktrdr-ib-sim [options]

An IB Gateway simulator speaking the TWS API (announces account KTRDRSIM01).

Options:
  --port <n>            TCP port (default 4002; 0 picks a free one)
  --host <address>      interface to listen on (default 127.0.0.1)
  --seed <value>        seed of the synthetic market data (default 1)
  --latency <ms|a-b>    reply latency: fixed ms or a uniform range such as 20-200 (default 0)
  --pacing <mode>       strict | practical | off (default practical)
  --time-scale <n>      speed-up of pacing windows, e.g. 60 = 10 minutes in 10 s (default 1)
  --server-version <n>  highest server version to announce, 164-193 (default 193)
  --help                show this help
  --version             print the version
`;

/** Result of parsing: options to start with, a request for help or the version, or an error message. */
export type CliParseResult =
  | { readonly kind: 'run'; readonly options: IbSimulatorOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'error'; readonly message: string };

const PACING_MODES: readonly PacingMode[] = ['strict', 'practical', 'off'];

/** Parses argv (without `node` and the script path). The bin's default port is 4002, IB Gateway paper's. */
export function parseCliArgs(argv: readonly string[]): CliParseResult {
  const options: { -readonly [K in keyof IbSimulatorOptions]: IbSimulatorOptions[K] } = { port: 4002 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--version') return { kind: 'version' };
    const [flag, inline] = arg.includes('=')
      ? (arg.split(/=(.*)/s, 2) as [string, string])
      : [arg, undefined];
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined) return { kind: 'error', message: `${flag} needs a value` };
    const number = Number(value);
    switch (flag) {
      case '--port':
        if (!Number.isInteger(number) || number < 0 || number > 65535) {
          return { kind: 'error', message: `--port must be an integer 0-65535, got "${value}"` };
        }
        options.port = number;
        break;
      case '--host':
        options.host = value;
        break;
      case '--seed':
        options.seed = /^-?\d+$/.test(value) ? number : value;
        break;
      case '--latency': {
        const latency = parseLatencyArgument(value);
        if (latency === undefined) {
          return {
            kind: 'error',
            message: `--latency must be milliseconds (50) or a range (20-200), got "${value}"`,
          };
        }
        options.latencyMs = latency;
        break;
      }
      case '--pacing':
        if (!PACING_MODES.includes(value as PacingMode)) {
          return {
            kind: 'error',
            message: `--pacing must be one of ${PACING_MODES.join(', ')}, got "${value}"`,
          };
        }
        options.pacing = value as PacingMode;
        break;
      case '--time-scale':
        if (!(number > 0))
          return { kind: 'error', message: `--time-scale must be a number > 0, got "${value}"` };
        options.timeScale = number;
        break;
      case '--server-version':
        if (!Number.isInteger(number)) {
          return { kind: 'error', message: `--server-version must be an integer, got "${value}"` };
        }
        options.serverVersion = number;
        break;
      default:
        return { kind: 'error', message: `Unknown option ${flag}` };
    }
  }
  return { kind: 'run', options };
}
