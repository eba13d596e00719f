import type { RequestHandler } from 'express';
import { ValidationError, parseInput } from '@ktrdr/core';
import { type DataService, dataApiContract, renderStoredBars } from '@ktrdr/data';
import { type HotHandler, expressHandler } from '../http/hot-lane';

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
  return expressHandler(barsCsvHandler(data));
}

/** {@link barsCsvRoute} as a hot handler: it declines JSON requests and throws on bad input. @internal */
export function barsCsvHandler(data: DataService): HotHandler {
  return async (req, res, { params, query: { format, ...query } }) => {
    if (!wantsCsv(format, req.headers.accept)) return false;
    const input = parseInput(
      dataApiContract.routes.bars.input,
      { ...query, symbol: params['symbol'], timeframe: params['timeframe'] },
      'bars input',
    );
    const { series, bytes } = await renderStoredBars(
      data.store,
      {
        symbol: input.symbol,
        timeframe: input.timeframe,
        start: input.start ?? input.start_date,
        end: input.end ?? input.end_date,
        limit: input.limit,
      },
      'csv',
    );
    res.writeHead(200, {
      'content-type': CSV_CONTENT_TYPE,
      'content-length': bytes.byteLength,
      'content-disposition': `inline; filename="${series.symbol}_${series.timeframe}.csv"`,
      'x-ktrdr-simulated': String(series.simulated),
      'x-ktrdr-rows': String(series.frame.length),
    });
    res.end(bytes);
    return true;
  };
}
