import type { RequestHandler } from 'express';
import { ValidationError, parseInput } from '@ktrdr/core';
import { type DataService, dataApiContract, formatBarsCsv, selectStoredBars } from '@ktrdr/data';

/** Content type of bar downloads. */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Which representation a bars request asks for: `?format=` wins, then an `Accept: text/csv` header. */
function wantsCsv(format: unknown, accept: string | undefined): boolean {
  if (format === undefined)
    return /\btext\/csv\b/i.test(accept ?? '') && !/application\/json/i.test(accept ?? '');
  if (format === 'csv') return true;
  if (format === 'json') return false;
  throw new ValidationError(`Unknown format ${JSON.stringify(format)}: use csv or json.`, {
    details: { field: 'format', accepted: ['csv', 'json'] },
  });
}

/**
 * `GET /data/:symbol/:timeframe?format=csv`: the stored bars in the store's own CSV layout (what
 * pandas and the Python KTRDR read), so a download is byte-for-byte a series file. JSON requests
 * fall through to the data API's listener. Same query as the JSON route: start/end (or
 * start_date/end_date) and limit; `X-Ktrdr-Simulated` says whether the bars are synthetic, since a
 * CSV body has no room for it.
 */
export function barsCsvRoute(data: DataService): RequestHandler {
  return async (req, res, next) => {
    const { format, ...query } = req.query as Record<string, unknown>;
    if (!wantsCsv(format, req.headers.accept)) return next();
    const input = parseInput(
      dataApiContract.routes.bars.input,
      { ...query, symbol: req.params['symbol'], timeframe: req.params['timeframe'] },
      'bars input',
    );
    const loaded = await selectStoredBars(data.store, {
      symbol: input.symbol,
      timeframe: input.timeframe,
      start: input.start ?? input.start_date,
      end: input.end ?? input.end_date,
      limit: input.limit,
    });
    const { frame } = loaded;
    const body = formatBarsCsv(frame);
    res.writeHead(200, {
      'content-type': CSV_CONTENT_TYPE,
      'content-length': body.length,
      'content-disposition': `inline; filename="${loaded.symbol}_${loaded.timeframe}.csv"`,
      'x-ktrdr-simulated': String(loaded.simulated),
      'x-ktrdr-rows': String(frame.length),
    });
    res.end(body);
  };
}
