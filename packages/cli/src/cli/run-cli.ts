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

/** The messages of an error's causes, outermost first (at most five). */
function causesOf(error: unknown): string[] {
  const causes: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    causes.push(oneLine(cause instanceof Error ? cause.message : String(cause)));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return causes;
}

/**
 * Writes the error (one line; with `-v` its details and causes; with `-f json` one JSON line) and
 * returns the exit code.
 */
function report(context: CliContext, error: unknown, path: string, verbose: boolean): number {
  const interrupted = context.interrupt.aborted;
  if (error instanceof CliUsageError || isCittyUsageError(error)) {
    const command = error instanceof CliUsageError ? (error.command ?? path) : path;
    const message = oneLine(error.message).replace(/\.?$/, '.');
    const hint = /--help/.test(message) ? '' : ` Run '${command} --help' for usage.`;
    const exitCode = EXIT_CODES.usage;
    context.error([`ktrdr: ${message}${hint}`], {
      code: 'usage',
      message: `${message}${hint}`,
      exit_code: exitCode,
      command,
    });
    return exitCode;
  }
  if (interrupted) {
    const exitCode = interruptExitCode(context.interrupt);
    const signal = exitCode === EXIT_CODES.terminated ? 'SIGTERM' : 'SIGINT';
    const message = `interrupted (${signal === 'SIGTERM' ? 'SIGTERM' : 'Ctrl+C'}).`;
    context.error([`ktrdr: ${message}`], { code: 'interrupted', message, exit_code: exitCode, signal });
    return exitCode;
  }
  const ktrdr = isKtrdrErrorLike(error);
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const exitCode = ktrdr ? exitCodeForErrorCode(error.code, interrupted) : EXIT_CODES.error;
  const causes = verbose ? causesOf(error) : [];
  const stack = verbose && !ktrdr && error instanceof Error ? error.stack : undefined;
  const text = [`ktrdr: ${ktrdr ? '' : 'unexpected error: '}${message}`];
  if (verbose) {
    if (ktrdr) {
      text.push(`  code: ${error.code}`);
      if (Object.keys(error.details).length > 0) text.push(`  details: ${JSON.stringify(error.details)}`);
    }
    text.push(...causes.map((cause) => `  caused by: ${cause}`));
    if (stack !== undefined) text.push(stack);
  } else if (!ktrdr) {
    text.push('  (run again with -v for details)');
  }
  context.error(text, {
    code: ktrdr ? error.code : 'unexpected',
    message,
    exit_code: exitCode,
    ...(ktrdr ? { details: error.details } : {}),
    ...(causes.length > 0 ? { causes } : {}),
    ...(stack !== undefined ? { stack } : {}),
  });
  return exitCode;
}

/**
 * The last `-f`/`--format` value of the options, read before citty parses them, so that an error
 * found first (an unknown command or option) is reported in the format asked for.
 */
function formatOption(options: readonly string[]): string | undefined {
  let format: string | undefined;
  for (let i = 0; i < options.length; i++) {
    const token = options[i] as string;
    const inline = /^(?:-f|--format)=(.*)$/.exec(token);
    if (inline !== null) format = inline[1];
    else if (token === '-f' || token === '--format') format = options[++i];
  }
  return format;
}

/**
 * Runs `ktrdr` with `rawArgs` (without `node` and the script) and resolves with the exit code. All
 * I/O goes through `io`, so tests run commands in-process; the bin only wires `process` to it.
 */
export async function runCli(rawArgs: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const context = new CliContext(defaultIo(io));
  const options = optionsPart(rawArgs);
  const verbose = options.includes('-v') || options.includes('--verbose');
  const format = formatOption(options);
  if (format !== undefined) context.absorb({ format });
  const root = createRootCommand(context);
  let path = 'ktrdr';
  try {
    const resolved = await resolveCommand(root, rawArgs);
    path = resolved.path;
    if (options.includes('--help') || options.includes('-h')) {
      context.out(await usage(resolved, context));
      return EXIT_CODES.ok;
    }
    if (resolved.chain.length === 1 && (options.includes('--version') || options.includes('-V'))) {
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
