import { type KtrdrConfig, type KtrdrConfigOptions, loadConfig } from '@ktrdr/core/config';
import { ServiceConfigurationError } from '@ktrdr/core/errors';
import type { CliContext } from '../cli/context';

/** How the configuration options are spelled on the command line, for error messages. */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  dataDir: '--data-dir',
  modelsDir: '--models-dir',
};

/**
 * The name a user set a configuration field by: the API URL reaches the configuration as an
 * explicit option whether it came from `--url` or `KTRDR_API_URL`, so the error must name the one
 * the user actually set, or they fix the wrong thing.
 */
function settingName(context: CliContext, field: string): string | undefined {
  if (field === 'apiUrl') return context.apiUrlSource ?? '--url';
  return OPTION_NAMES[field];
}

/**
 * The configuration of this run: command-line options over environment over defaults. A bad
 * option is reported by the name the user set it by (`--url`, `KTRDR_API_URL`), not the configuration
 * field behind it.
 */
export function loadCliConfig(context: CliContext, options: KtrdrConfigOptions = {}): KtrdrConfig {
  const explicit: KtrdrConfigOptions = { ...options };
  if (context.dataDir !== undefined) explicit.dataDir = context.dataDir;
  if (context.modelsDir !== undefined) explicit.modelsDir = context.modelsDir;
  try {
    return loadConfig(explicit, context.io.env);
  } catch (error) {
    const variable = error instanceof ServiceConfigurationError ? error.details['variable'] : undefined;
    const option = typeof variable === 'string' ? settingName(context, variable) : undefined;
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
