/**
 * Retries in exactly one layer, counted at a real server: the IB host service is a raw HTTP server
 * on 127.0.0.1:0 that answers 503 to everything. A bar fetch makes one attempt per call (the
 * segment fetcher owns its attempts); every other call kind spends the transport's retries.
 */
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HostServiceError } from '@ktrdr/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncDataAdapter } from '../../src/adapter/async-data-adapter';
import { Closer } from './chain-fixtures';

const closer = new Closer();
afterEach(() => closer.closeAll());

/** A host service that is always unavailable, counting the requests of each path. */
async function unavailableHost(): Promise<{ url: string; attempts: (path: string) => number }> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    seen.push(new URL(req.url ?? '/', 'http://host').pathname);
    req.resume();
    res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closer.add(server, (s) => new Promise<void>((resolve) => s.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts: (path) => seen.filter((p) => p === path).length,
  };
}

describe('AsyncDataAdapter over HTTP: one retry layer per call kind', () => {
  it('makes one attempt per bar fetch, and 1 + 2 for every other call kind', async () => {
    const host = await unavailableHost();
    const adapter = closer.add(
      new AsyncDataAdapter({ kind: 'http', url: host.url, deadlineMs: 20_000 }),
      (a) => a.close(),
    );
    const failed = HostServiceError;
    await expect(
      adapter.fetchHistoricalData('AAPL', '1h', { start: '2024-01-02', end: '2024-01-03' }),
    ).rejects.toBeInstanceOf(failed);
    expect(host.attempts('/data/historical')).toBe(1);
    await expect(adapter.validateSymbol('AAPL')).rejects.toBeInstanceOf(failed);
    expect(host.attempts('/data/validate')).toBe(3);
    await expect(adapter.getSymbolInfo('AAPL')).rejects.toBeInstanceOf(failed);
    expect(host.attempts('/data/symbol-info/AAPL')).toBe(3);
    await expect(adapter.getHeadTimestamp('AAPL')).rejects.toBeInstanceOf(failed);
    expect(host.attempts('/data/head-timestamp')).toBe(3);
    expect(adapter.stats()).toMatchObject({ calls: 4, attempts: 10, retries: 6 });
  });
});
