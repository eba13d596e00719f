/**
 * The `ktrdr` executable: wires the process (argv, stdout, stderr, environment, signals) to
 * {@link runCli} and exits with its code. Everything else lives in `runCli`, which tests call in-process.
 */
import * as nodeModule from 'node:module';
import { runCli } from '../cli/run-cli';

// Node 22+ can keep compiled code of the SDK's dependencies (zod, arquero...) between runs, which
// is most of a command's start-up; Node 20 has no such cache and skips this.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const interrupt = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals) => {
  interrupts++;
  // A second Ctrl+C means "now": do not wait for a cancelled operation to wind down.
  if (interrupts > 1) process.exit(signal === 'SIGTERM' ? 143 : 130);
  interrupt.abort(new Error(`Interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// The SDK's one-time notices (e.g. "onnxruntime-node is not installed") are process warnings of
// type KtrdrNotice: print them as the CLI's own `note:` lines, and every other warning as Node does.
const nodeWarningPrinters = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'KtrdrNotice') process.stderr.write(`note: ${warning.message}\n`);
  else for (const print of nodeWarningPrinters) print(warning);
});
// `ktrdr data show | head -1`: the reader left, which is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

// No top-level await: the bin is built as CommonJS (see tsup.config.ts).
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  interrupt: interrupt.signal,
}).then((code) => {
  // Exit once the output is flushed: a keep-alive socket or a lingering timer must not hold the process.
  process.stdout.write('', () => process.exit(code));
});
