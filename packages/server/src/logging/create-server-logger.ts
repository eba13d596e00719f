import { type DestinationStream, type Logger, pino } from 'pino';
import { createPathRedactor } from '../http/redact-paths';
import { type LogFormat, type LogLevel, readLogSettings } from './log-settings';
import { prettyLine } from './pretty-line';

/** Options of {@link createServerLogger}. */
export interface ServerLoggerOptions {
  /** Where lines go (default `process.stdout`). */
  stream?: DestinationStream & { isTTY?: boolean };
  /** Environment to read `LOG_LEVEL` and `LOG_FORMAT` from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides `LOG_LEVEL`. */
  level?: LogLevel;
  /** Overrides `LOG_FORMAT` and the TTY rule. */
  format?: LogFormat;
  /** Shown as `name` on every line (`ktrdr-api`). */
  name?: string;
}

/**
 * Header values pino replaces with `[redacted]` wherever a request is logged: bearer tokens and
 * cookies never reach a log. @internal
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'token',
];

/**
 * The pino logger of a ktrdr server: level from `LOG_LEVEL` (default `info`), JSON lines when the
 * stream is not a TTY, one readable line each on a TTY or with `LOG_FORMAT=pretty`. Authorization
 * headers are redacted by pino, and every line passes the server's path redactor on its way out,
 * so no token and no absolute path is ever written.
 * @throws ServiceConfigurationError naming `LOG_LEVEL` or `LOG_FORMAT` for a value it does not know.
 */
export function createServerLogger(options: ServerLoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stdout;
  const settings = readLogSettings(options.env ?? process.env, stream.isTTY === true);
  const redactPaths = createPathRedactor();
  const format = options.format ?? settings.format;
  return pino(
    {
      name: options.name,
      level: options.level ?? settings.level,
      base: { pid: process.pid },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      hooks: {
        streamWrite: (line) => {
          const safe = redactPaths(line);
          return format === 'pretty' ? prettyLine(safe) : safe;
        },
      },
    },
    stream,
  );
}
