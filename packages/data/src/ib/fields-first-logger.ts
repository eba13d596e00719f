import type { IbLogger } from './ib-config';

/** A logger whose methods take the fields first and the message second, as pino and bunyan do. */
export interface FieldsFirstLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Adapts a pino (or bunyan) logger to the SDK's console-like {@link IbLogger}, so each event's
 * fields (endpoint, code, request) become fields of the log line instead of being dropped: pino
 * ignores objects after the message. `console` needs no adapter. The SDK does not depend on pino;
 * anything with these four methods fits.
 */
export function fieldsFirstLogger(logger: FieldsFirstLogger): Required<IbLogger> {
  return {
    debug: (message, data) => logger.debug(data ?? {}, message),
    info: (message, data) => logger.info(data ?? {}, message),
    warn: (message, data) => logger.warn(data ?? {}, message),
    error: (message, data) => logger.error(data ?? {}, message),
  };
}
