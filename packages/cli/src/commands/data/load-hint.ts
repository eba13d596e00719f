import { NotFoundError, isKtrdrError } from '@ktrdr/core/errors';

/**
 * Rethrows "no data stored" with the command that fixes it, so the one error line is actionable
 * from a terminal as well as from the SDK.
 */
export function withLoadHint(symbol: string, timeframe: string): (error: unknown) => never {
  return (error) => {
    if (isKtrdrError(error) && error.code === 'not_found' && /load it first/.test(error.message)) {
      throw new NotFoundError(
        `${error.message.replace(/\.$/, '')} (ktrdr data load ${symbol} -t ${timeframe}).`,
        {
          details: error.details,
          cause: error,
        },
      );
    }
    throw error;
  };
}
