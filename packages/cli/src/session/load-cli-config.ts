import { type KtrdrConfig, type KtrdrConfigOptions, loadConfig } from '@ktrdr/core/config';
import { ServiceConfigurationError } from '@ktrdr/core/errors';
import type { CliContext } from '../cli/context';

/** How the configuration options are spelled on the command line, for error messages. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  apiUrl: '--url',
  dataDir: '--data-dir',
  modelsDir: '--models-dir',
};

/**
 * The configuration of this run: command-line options over environment over defaults. A bad
 * option is reported by its command-line name (`--url`), not the configuration field behind it.
 */
export function loadCliConfig(context: CliContext, options: KtrdrConfigOptions = {}): KtrdrConfig {
  const explicit: KtrdrConfigOptions = { ...options };
  if (context.dataDir !== undefined) explicit.dataDir = context.dataDir;
  if (context.modelsDir !== undefined) explicit.modelsDir = context.modelsDir;
  try {
    return loadConfig(explicit, context.io.env);
  } catch (error) {
    const variable = error instanceof ServiceConfigurationError ? error.details['variable'] : undefined;
    const option = typeof variable === 'string' ? OPTION_NAMES[variable] : undefined;
    if (option === undefined || !(error instanceof ServiceConfigurationError)) throw error;
    throw new ServiceConfigurationError(
      error.message.replace(` for ${String(variable)}:`, ` for ${option}:`),
      {
        details: { ...error.details, option },
        cause: error,
      },
    );
  }
}
