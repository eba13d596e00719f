/**
 * `ktrdr-ib-sim`: runs the IB Gateway simulator until SIGINT/SIGTERM, printing where it listens.
 */
import packageJson from '../../package.json';
import { startIbSimulator } from '../simulator';
import { parseCliArgs, usage } from './cli-args';

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(`${await usage(process.stdout.isTTY)}\n`);
    return;
  }
  if (parsed.kind === 'version') {
    // Inlined at build time, like `ktrdr --version`.
    process.stdout.write(`${packageJson.version}\n`);
    return;
  }
  if (parsed.kind === 'error') {
    // Exit 2 with one line, like `ktrdr` for a usage error.
    process.stderr.write(`ktrdr-ib-sim: ${parsed.message}. Run 'ktrdr-ib-sim --help' for usage.\n`);
    process.exitCode = 2;
    return;
  }
  let simulator;
  try {
    simulator = await startIbSimulator(parsed.options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /EADDRINUSE/.test(message)
      ? ' (the port is taken: pass --port <n>, or --port 0 for a free one)'
      : '';
    process.stderr.write(`ktrdr-ib-sim: could not start: ${message}${hint}\n`);
    process.exitCode = 1;
    return;
  }
  const { host, port, serverVersion, accountId } = simulator;
  const pacing = parsed.options.pacing ?? 'practical';
  process.stdout.write(
    `ktrdr-ib-sim listening on ${host}:${port} (server version ${serverVersion}, account ${accountId}, pacing ${pacing})\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`ktrdr-ib-sim: ${signal} received, closing\n`);
    void simulator.close().then(() => {
      process.exitCode = 0;
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
