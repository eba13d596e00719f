import type { RequestHandler } from 'express';
import { parseInput } from '@ktrdr/core';
import { type DataService, dataApiContract, readStoredBarsJson } from '@ktrdr/data';

/**
 * `GET /data/:symbol/:timeframe` as JSON, the API's hot path: the answer is written as text
 * straight from the store's columns (no object per bar, no output validation pass), with the data
 * API's exact shape and bytes. Anything that is not a plain success (bad input, no such series, a
 * value JSON cannot hold) falls through to the data API's listener, which answers it as before.
 */
export function barsJsonRoute(data: DataService): RequestHandler {
  return async (req, res, next) => {
    // Express routes HEAD to GET handlers; the data API never answered HEAD, so neither does this.
    if (req.method !== 'GET') return next();
    let body: string;
    try {
      const input = parseInput(
        dataApiContract.routes.bars.input,
        {
          ...(req.query as Record<string, unknown>),
          symbol: req.params['symbol'],
          timeframe: req.params['timeframe'],
        },
        'bars input',
      );
      body = await readStoredBarsJson(data.store, {
        symbol: input.symbol,
        timeframe: input.timeframe,
        start: input.start ?? input.start_date,
        end: input.end ?? input.end_date,
        limit: input.limit,
      });
    } catch {
      return next();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  };
}
