import { CliUsageError } from './cli-errors';
import type { GlobalOptions } from './global-args';

/** A stream the CLI writes to: `process.stdout` in the bin, a string collector in tests. */
export interface CliWriter {
  write(chunk: string): unknown;
  /** True on a terminal: tables may use colour, progress redraws one line. */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/** Everything a CLI run touches outside itself, injected so that tests never spawn a process. */
export interface CliIo {
  stdout: CliWriter;
  stderr: CliWriter;
  /** Environment variables (configuration, `KTRDR_API_URL`). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Aborts on Ctrl+C or SIGTERM (the bin links both). Running operations are cancelled, then the run
   * exits 130, or 143 after SIGTERM (see settleExitCode).
   */
  interrupt: AbortSignal;
}

/**
 * An error as `-f json` reports it on stderr, as `{ "error": ... }` on one line: the ktrdr error code
 * (or `usage`, `interrupted`, `unexpected`), the one-line message and the exit code, plus what the
 * error carries (`details`, the `command` whose help explains a usage error, and with `-v` its `causes`).
 */
export interface CliJsonError {
  code: string;
  message: string;
  exit_code: number;
  details?: Record<string, unknown>;
  command?: string;
  causes?: string[];
  signal?: 'SIGINT' | 'SIGTERM';
  stack?: string;
}

/** Output formats of `-f`. */
export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;

/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * The state of one CLI run: its I/O, the global options gathered from every level of the command
 * line, and the exit code a command asks for without failing (e.g. `ib validate` of an unknown symbol).
 */
export class CliContext {
  /** Exit code when the command returns normally. */
  exitCode = 0;
  private readonly globals: GlobalOptions = {};

  constructor(readonly io: CliIo) {}

  /**
   * Takes the global options one level of the command line parsed. Deeper levels run later, so
   * `ktrdr -f json data show -f csv` ends with csv, as the last option given wins.
   */
  absorb(args: Record<string, unknown>): void {
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const url = text(args['url']);
    const dataDir = text(args['data-dir']);
    const modelsDir = text(args['models-dir']);
    const format = text(args['format']);
    if (url !== undefined) this.globals.url = url;
    if (dataDir !== undefined) this.globals.dataDir = dataDir;
    if (modelsDir !== undefined) this.globals.modelsDir = modelsDir;
    if (format !== undefined) this.globals.format = format;
    if (args['verbose'] === true) this.globals.verbose = true;
  }

  /** `-f`, checked. */
  get format(): OutputFormat {
    const format = this.globals.format ?? 'table';
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
      throw new CliUsageError(`Unknown output format '${format}': use -f ${OUTPUT_FORMATS.join(', -f ')}.`);
    }
    return format as OutputFormat;
  }

  /**
   * True when `-f json` was asked for. Read unchecked, so that a run which failed before its options
   * were all read (an unknown command, a bad option) still reports its error as JSON.
   */
  get jsonErrors(): boolean {
    return this.globals.format === 'json';
  }

  /** `-v`. */
  get verbose(): boolean {
    return this.globals.verbose === true;
  }

  /**
   * The backend API to talk to, or undefined to run embedded. Only an explicit `--url` or an
   * explicitly set `KTRDR_API_URL` go remote: the configuration's default URL never does, so a
   * fresh install works with nothing running.
   */
  get apiUrl(): string | undefined {
    if (this.globals.url !== undefined) return this.globals.url;
    const fromEnv = this.io.env['KTRDR_API_URL']?.trim();
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  }

  /** Where {@link apiUrl} came from, for error messages that say what to fix. */
  get apiUrlSource(): '--url' | 'KTRDR_API_URL' | undefined {
    if (this.globals.url !== undefined) return '--url';
    return this.apiUrl === undefined ? undefined : 'KTRDR_API_URL';
  }

  /** `--data-dir`, when given. */
  get dataDir(): string | undefined {
    return this.globals.dataDir;
  }

  /** `--models-dir`, when given. */
  get modelsDir(): string | undefined {
    return this.globals.modelsDir;
  }

  /** Aborts on Ctrl+C. */
  get interrupt(): AbortSignal {
    return this.io.interrupt;
  }

  /** Writes to stdout, ending with a newline. */
  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /**
   * Reports an error on stderr: the `text` lines, or with `-f json` one line `{"error": json}` that a
   * script can parse (the last line of stderr; progress lines may come before it).
   */
  error(text: readonly string[], json: CliJsonError): void {
    if (this.jsonErrors) this.io.stderr.write(`${JSON.stringify({ error: json })}\n`);
    else for (const line of text) this.note(line);
  }

  /** Writes a line for people to stderr: notes and warnings that must not pollute piped output. */
  note(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
