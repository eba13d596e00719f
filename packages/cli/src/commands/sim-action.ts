import { CliUsageError } from '../cli/cli-errors';
import type { CliContext } from '../cli/context';
import { parseChoice, parsePort } from '../cli/option-values';
import { waitForInterrupt } from './wait-for-interrupt';

const COMMAND = 'ktrdr sim';

/** Arguments of `ktrdr sim`. */
export interface SimArgs {
  host?: string;
  port?: string;
  seed?: string;
  latency?: string;
  pacing?: string;
  'time-scale'?: string;
}

function parseTimeScale(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const scale = Number(value);
  if (value.trim() === '' || !Number.isFinite(scale) || scale <= 0) {
    throw new CliUsageError(`Invalid --time-scale '${value}': use a number above 0, such as 60.`, COMMAND);
  }
  return scale;
}

/** Starts the IB Gateway simulator and runs it until Ctrl+C or SIGTERM. */
export async function sim(context: CliContext, args: SimArgs): Promise<void> {
  const { parseLatencyArgument, startIbSimulator } = await import('@ktrdr/ib-sim');
  const latencyMs = args.latency === undefined ? undefined : parseLatencyArgument(args.latency);
  if (args.latency !== undefined && latencyMs === undefined) {
    throw new CliUsageError(
      `Invalid --latency '${args.latency}': use milliseconds such as 50, or a range such as 20-200.`,
      COMMAND,
    );
  }
  const pacing =
    args.pacing === undefined
      ? undefined
      : parseChoice(args.pacing, ['practical', 'strict', 'off'] as const, '--pacing', COMMAND);
  // A numeric seed stays a number so that `--seed 7` replays the same bars as `{ seed: 7 }` in code.
  const seed = args.seed === undefined ? undefined : /^\d+$/.test(args.seed) ? Number(args.seed) : args.seed;
  const simulator = await startIbSimulator({
    host: args.host,
    port: args.port === undefined ? 4002 : parsePort(args.port, COMMAND),
    seed,
    latencyMs,
    pacing,
    timeScale: parseTimeScale(args['time-scale']),
  });
  const where = `${simulator.host}:${simulator.port}`;
  if (context.format === 'json') {
    context.out(
      JSON.stringify({
        host: simulator.host,
        port: simulator.port,
        server_version: simulator.serverVersion,
        simulated: true,
      }),
    );
  } else {
    context.out(`IB Gateway simulator listening on ${where} [SIMULATED]`);
    context.out(
      `Every bar it serves is synthetic. Point ktrdr at it with IB_HOST=${simulator.host} IB_PORT=${simulator.port}.`,
    );
    context.out('Ctrl+C stops it.');
  }
  try {
    await waitForInterrupt(context.interrupt);
  } finally {
    await simulator.close();
  }
  context.note('Simulator stopped.');
}
