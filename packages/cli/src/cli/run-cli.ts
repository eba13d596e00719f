import { type ArgsDef, type CommandDef, renderUsage, runCommand } from 'citty';
import { CliUsageError, isCittyUsageError, isKtrdrErrorLike } from './cli-errors';
import { CliContext, type CliIo } from './context';
import { EXIT_CODES, exitCodeForErrorCode, interruptExitCode, settleExitCode } from './exit-codes';
import { type ResolvedCommand, checkArguments, resolveCommand } from './resolve-command';
import { createRootCommand } from './root-command';
import { stripAnsi } from '../render/text-width';
import { VERSION } from './version';

/** Options given before `--` only: what follows belongs to the command. */
const optionsPart = (rawArgs: readonly string[]) => {
  const end = rawArgs.indexOf('--');
  return end < 0 ? rawArgs : rawArgs.slice(0, end);
};

const oneLine = (text: string) =>
  stripAnsi(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();

function defaultIo(io: Partial<CliIo>): CliIo {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    interrupt: io.interrupt ?? new AbortController().signal,
  };
}

async function usage(resolved: ResolvedCommand, context: CliContext): Promise<string> {
  const command = resolved.chain[resolved.chain.length - 1] as CommandDef<ArgsDef>;
  // citty pads every column, leaving trailing blanks that wrap narrow terminals.
  const text = (await renderUsage(command)).replace(/[ \t]+$/gm, '');
  // citty colours by environment only; a pipe or a file gets plain text.
  return context.io.stdout.isTTY === true ? text : stripAnsi(text);
}

/** Writes the one-line error (and with `-v` its details and causes); returns the exit code. */
function report(context: CliContext, error: unknown, path: string, verbose: boolean): number {
  const interrupted = context.interrupt.aborted;
  if (error instanceof CliUsageError || isCittyUsageError(error)) {
    const command = error instanceof CliUsageError ? (error.command ?? path) : path;
    const message = oneLine(error.message).replace(/\.?$/, '.');
    const hint = /--help/.test(message) ? '' : ` Run '${command} --help' for usage.`;
    context.note(`ktrdr: ${message}${hint}`);
    return EXIT_CODES.usage;
  }
  if (interrupted) {
    const code = interruptExitCode(context.interrupt);
    context.note(`ktrdr: interrupted (${code === EXIT_CODES.terminated ? 'SIGTERM' : 'Ctrl+C'}).`);
    return code;
  }
  const ktrdr = isKtrdrErrorLike(error);
  const message = error instanceof Error ? error.message : String(error);
  context.note(`ktrdr: ${ktrdr ? '' : 'unexpected error: '}${oneLine(message)}`);
  if (verbose) {
    if (ktrdr) {
      context.note(`  code: ${error.code}`);
      if (Object.keys(error.details).length > 0) context.note(`  details: ${JSON.stringify(error.details)}`);
    }
    let cause = error instanceof Error ? error.cause : undefined;
    for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
      context.note(`  caused by: ${oneLine(cause instanceof Error ? cause.message : String(cause))}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (!ktrdr && error instanceof Error && error.stack !== undefined) context.note(error.stack);
  } else if (!ktrdr) {
    context.note('  (run again with -v for details)');
  }
  return ktrdr ? exitCodeForErrorCode(error.code, interrupted) : EXIT_CODES.error;
}

/**
 * Runs `ktrdr` with `rawArgs` (without `node` and the script) and resolves with the exit code. All
 * I/O goes through `io`, so tests run commands in-process; the bin only wires `process` to it.
 */
export async function runCli(rawArgs: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const context = new CliContext(defaultIo(io));
  const options = optionsPart(rawArgs);
  const verbose = options.includes('-v') || options.includes('--verbose');
  const root = createRootCommand(context);
  let path = 'ktrdr';
  try {
    const resolved = await resolveCommand(root, rawArgs);
    path = resolved.path;
    if (options.includes('--help') || options.includes('-h')) {
      context.out(await usage(resolved, context));
      return EXIT_CODES.ok;
    }
    if (resolved.chain.length === 1 && options.includes('--version')) {
      context.out(VERSION);
      return EXIT_CODES.ok;
    }
    const named = resolved.chain[resolved.chain.length - 1] as CommandDef<ArgsDef>;
    if (named.subCommands !== undefined) {
      // `ktrdr` or `ktrdr data` alone: say what is there, and fail so a script notices.
      context.io.stderr.write(`${await usage(resolved, context)}\n`);
      return EXIT_CODES.usage;
    }
    await checkArguments(resolved, rawArgs);
    await runCommand(root, { rawArgs: [...rawArgs] });
    return settleExitCode(context.exitCode, context.interrupt);
  } catch (error) {
    return report(context, error, path, verbose || context.verbose);
  }
}
