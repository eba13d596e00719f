import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKtrdrClient } from '@ktrdr/client';
import { type OperationInfo, ValidationError } from '@ktrdr/core';

const ID = 'op_data_load_20260101_000000_0123abcd';

function info(
  status: OperationInfo['status'],
  percentage: number,
  extra: Partial<OperationInfo> = {},
): OperationInfo {
  return {
    operation_id: ID,
    operation_type: 'data_load',
    status,
    created_at: '2026-01-01T00:00:00.000Z',
    progress: { percentage },
    metadata: {},
    ...extra,
  };
}

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** An API stand-in whose events stream breaks once mid-operation, as a restarting proxy would. */
async function flakyApi(final: OperationInfo) {
  const seen = { streams: 0, snapshots: 0, authorization: [] as (string | undefined)[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.authorization.push(req.headers.authorization);
    if (req.url === `/api/v1/operations/${ID}/events`) {
      seen.streams += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (seen.streams === 1) {
        res.write(event('snapshot', info('running', 10)));
        res.write(': keep-alive\n\n');
        res.write(event('progress', { percentage: 40 }));
        // The connection drops before the end event.
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.write(event('snapshot', info('running', 40)));
      res.write(event('progress', { percentage: 100 }));
      res.end(event('end', final));
      return;
    }
    if (req.url === `/api/v1/operations/${ID}`) {
      seen.snapshots += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: true, data: info('running', 40) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('remote handles over server-sent events', () => {
  it('reopen a stream that broke before the end, and follow on to the final snapshot', async () => {
    const api = await flakyApi(info('completed', 100, { result_summary: { bars: 7 } }));
    await using client = await createKtrdrClient({ apiUrl: api.url, token: 'secret', env: {} });
    const handle = client.operations.handle(ID);
    const percentages: number[] = [];
    for await (const progress of handle.progress()) percentages.push(progress.percentage);
    expect(percentages).toEqual([40, 100]);
    expect(api.seen.streams).toBe(2);
    // A snapshot told the client the operation still ran before it reopened the stream.
    expect(api.seen.snapshots).toBe(1);
    expect(new Set(api.seen.authorization)).toEqual(new Set(['Bearer secret']));
  });

  it('map a failed operation to the class of its error code', async () => {
    const api = await flakyApi(
      info('failed', 40, { error_code: 'validation', error_message: 'No bars for ZZZZ' }),
    );
    await using client = await createKtrdrClient({ apiUrl: api.url, env: {} });
    const failure = await client.operations
      .handle(ID)
      .result()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ValidationError);
    expect(failure).toMatchObject({ message: 'No bars for ZZZZ', details: { operationId: ID } });
  });
});
