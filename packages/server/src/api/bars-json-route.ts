import { parseInput } from '@ktrdr/core';
import { type DataService, dataApiContract, renderStoredBars } from '@ktrdr/data';
import type { HotHandler } from '../http/hot-lane';

const SLASH = 0x2f;
const BACKSLASH = 0x5c;

/**
 * `GET /data/:symbol/:timeframe` as JSON, the API's hot path: the answer is written as bytes
 * straight from the store's columns (no object per bar, no output validation pass; a repeat query
 * of an unchanged series reuses the bytes), with the data API's exact shape. Anything that is not
 * a plain success (bad input, no such series, a value JSON cannot hold) is declined, and the data
 * API's listener answers it as before.
 */
export function barsJsonHandler(data: DataService): HotHandler {
  return async (req, res, { params, query: search }) => {
    // Express routes HEAD to GET handlers; the data API never answered HEAD, so neither does this.
    if (req.method !== 'GET') return false;
    let body: Uint8Array;
    try {
      const input = parseInput(
        dataApiContract.routes.bars.input,
        { ...search, symbol: params['symbol'], timeframe: params['timeframe'] },
        'bars input',
      );
      const query = {
        symbol: input.symbol,
        timeframe: input.timeframe,
        start: input.start ?? input.start_date,
        end: input.end ?? input.end_date,
        limit: input.limit,
      };
      body = (await renderStoredBars(data.store, query, 'json')).bytes;
    } catch {
      return false;
    }
    // Bars, dates and names hold no slash: one that does carries a warning's text, which takes the
    // path that redacts answers.
    if (body.includes(SLASH) || body.includes(BACKSLASH)) return false;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.byteLength });
    res.end(body);
    return true;
  };
}
