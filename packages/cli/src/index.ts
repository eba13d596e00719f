/**
 * The public surface of `@ktrdr/cli`: run the `ktrdr` command from code (what the bin and the tests
 * do), with injected streams and environment. Everything else is internal.
 */
export { runCli } from './cli/run-cli';
export { OUTPUT_FORMATS, type CliIo, type CliWriter, type OutputFormat } from './cli/context';
export { EXIT_CODES, type ExitCode } from './cli/exit-codes';
export { VERSION } from './cli/version';
