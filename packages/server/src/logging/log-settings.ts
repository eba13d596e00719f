import { ServiceConfigurationError } from '@ktrdr/core';

/** Levels `LOG_LEVEL` accepts (pino's, plus `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines are written: one JSON object a line, or one readable line for people. */
export type LogFormat = 'json' | 'pretty';

/** What `LOG_LEVEL` and `LOG_FORMAT` ask for. */
export interface LogSettings {
  level: LogLevel;
  format: LogFormat;
}

/**
 * Reads `LOG_LEVEL` (default `info`) and `LOG_FORMAT` (`json` or `pretty`; default `pretty` on a
 * TTY, `json` otherwise, so log shippers always get JSON).
 * @throws ServiceConfigurationError naming the variable for a value it does not know, rather than logging
 *   at a level nobody asked for.
 */
export function readLogSettings(
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
): LogSettings {
  const level = (env['LOG_LEVEL'] ?? '').trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new ServiceConfigurationError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${level}'`, {
      details: { variable: 'LOG_LEVEL' },
    });
  const format = (env['LOG_FORMAT'] ?? '').trim().toLowerCase() || (isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty')
    throw new ServiceConfigurationError(`LOG_FORMAT must be json or pretty, got '${format}'`, {
      details: { variable: 'LOG_FORMAT' },
    });
  return { level: level as LogLevel, format };
}
