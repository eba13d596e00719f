/**
 * Bad command-line usage found by the CLI itself (unknown option, extra argument, bad `--rows`).
 * Exit code 2. Kept free of `@ktrdr/core` so that parsing and `--help` never load the SDK.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';

  constructor(
    message: string,
    /** The command whose help explains the fix, e.g. `ktrdr data show`. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Brand of every ktrdr error, shared across builds (see `KtrdrError` in `@ktrdr/core`). */
const KTRDR_LINEAGE = Symbol.for('ktrdr.error.lineage');

/** The parts of a ktrdr error the CLI reports. */
export interface KtrdrErrorLike extends Error {
  code: string;
  details: Record<string, unknown>;
}

/**
 * True for a `KtrdrError` from any copy of `@ktrdr/core`. Checked by brand rather than with
 * `isKtrdrError`, so reporting an error never loads the SDK (a `--help` typo must stay fast).
 */
export function isKtrdrErrorLike(value: unknown): value is KtrdrErrorLike {
  return (
    value instanceof Error &&
    Array.isArray((value as unknown as Record<symbol, unknown>)[KTRDR_LINEAGE]) &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** True for the errors citty throws for usage problems (missing argument, unknown command). */
export function isCittyUsageError(value: unknown): value is Error & { code?: string } {
  return value instanceof Error && value.name === 'CLIError';
}
