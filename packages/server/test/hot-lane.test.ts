import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createServerLogger, startServer } from '../src/index';
import { type HotHandler, type HotRequestInput, createHotLane } from '../src/http/hot-lane';
import { hourlyBars, fakeDataService } from './support/api-fixture';
import { Resources, eventually } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

/** A server whose hot lane has one route; what the lane leaves is answered `routed` with 299. */
async function laneServer(handlers: HotHandler[], guard?: Parameters<typeof createHotLane>[0]['guard']) {
  const lane = createHotLane({
    basePath: '/api/v1',
    routes: [{ path: '/data/:symbol/:timeframe', handlers }],
    guard,
  });
  const server = createServer((req, res) => lane(req, res, () => res.writeHead(299).end('routed')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  resources.add(server, (s) => new Promise((resolve) => s.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const answer =
  (seen: HotRequestInput[]): HotHandler =>
  async (_req, res, input) => {
    seen.push(input);
    res.writeHead(200).end('hot');
    return true;
  };

describe('createHotLane', () => {
  it('answers a GET of exactly the route, with decoded parameters and the query as Express parses it', async () => {
    const seen: HotRequestInput[] = [];
    const url = await laneServer([answer(seen)]);
    const response = await fetch(`${url}/api/v1/data/%41APL/1h?limit=5&a=1&a=2`);
    expect([response.status, await response.text()]).toEqual([200, 'hot']);
    expect(seen[0]?.params).toEqual({ symbol: 'AAPL', timeframe: '1h' });
    expect({ ...seen[0]?.query }).toEqual({ limit: '5', a: ['1', '2'] });
  });

  it('leaves every other spelling, method and path to the routed path', async () => {
    const seen: HotRequestInput[] = [];
    const url = await laneServer([answer(seen)]);
    const others = [
      ['GET', '/api/v1/data/AAPL/1h/'],
      ['GET', '/api/v1/data/AAPL'],
      ['GET', '/api/v1/data/AAPL/1h/x'],
      ['GET', '/api/v1/data//1h'],
      ['GET', '/api/v1/data/%E0%A4%A/1h'],
      ['GET', '/API/V1/data/AAPL/1h'],
      ['GET', '/api/v1x/data/AAPL/1h'],
      ['GET', '/data/AAPL/1h'],
      ['POST', '/api/v1/data/AAPL/1h'],
      ['DELETE', '/api/v1/data/AAPL/1h'],
    ] as const;
    for (const [method, path] of others) {
      const response = await fetch(`${url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(299);
    }
    expect((await fetch(`${url}/api/v1/data/AAPL/1h`, { method: 'HEAD' })).status).toBe(299);
    expect(seen).toEqual([]);
  });

  it('tries handlers in order, and leaves the request to the routed path when all decline or one fails', async () => {
    const calls: string[] = [];
    const decline: HotHandler = async () => (calls.push('decline'), false);
    const fail: HotHandler = async () => {
      calls.push('fail');
      throw new Error('no such series');
    };
    const seen: HotRequestInput[] = [];
    const chained = await laneServer([decline, answer(seen)]);
    expect(await (await fetch(`${chained}/api/v1/data/A/1h`)).text()).toBe('hot');
    expect(calls).toEqual(['decline']);
    const failing = await laneServer([fail, answer(seen)]);
    expect((await fetch(`${failing}/api/v1/data/A/1h`)).status).toBe(299);
    const declining = await laneServer([decline]);
    expect((await fetch(`${declining}/api/v1/data/A/1h`)).status).toBe(299);
    expect(calls).toEqual(['decline', 'fail', 'decline']);
    expect(seen).toHaveLength(1);
  });

  it('runs the guard first: a refused request reaches neither a handler nor the routed path', async () => {
    const seen: HotRequestInput[] = [];
    const guard = (req: IncomingMessage, res: ServerResponse, next: () => void) =>
      req.headers['x-pass'] === 'yes' ? next() : void res.writeHead(401).end('refused');
    const url = await laneServer([answer(seen)], guard);
    const refused = await fetch(`${url}/api/v1/data/A/1h`);
    expect([refused.status, await refused.text()]).toEqual([401, 'refused']);
    expect(seen).toEqual([]);
    expect((await fetch(`${url}/api/v1/data/A/1h`, { headers: { 'x-pass': 'yes' } })).status).toBe(200);
  });
});

describe('the standalone API server: bars ahead of Express', () => {
  const TOKEN = 'tok-hot-lane-test-0123456789';

  async function start() {
    const { data } = await fakeDataService(resources, { trustVersions: true });
    await data.store.save('AAPL', '1h', hourlyBars(300), { simulated: true });
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = createServerLogger({ stream, env: {} });
    const server = resources.add(
      await startServer({ kind: 'api', host: '127.0.0.1', port: 0, data, token: TOKEN, logger, env: {} }),
      (s) => s.close(),
    );
    const access = () => lines.filter((line) => typeof line['responseTime'] === 'number');
    return { url: server.url, access };
  }

  const auth = { authorization: `Bearer ${TOKEN}` };
  /** Status, headers (less the date) and body of an answer. */
  const seen = async (response: Response) => {
    const headers = Object.fromEntries(response.headers);
    delete headers['date'];
    return { status: response.status, headers, body: await response.text() };
  };

  it('answers with the same status, headers and bytes as the routed path, JSON and CSV alike', async () => {
    const { url } = await start();
    for (const query of ['?limit=50', '?limit=50&format=csv', '?limit=0', '?format=xml']) {
      const hot = await seen(await fetch(`${url}/data/AAPL/1h${query}`, { headers: auth }));
      // A trailing slash is not the hot lane's spelling: Express routes it to the same handlers.
      const routed = await seen(await fetch(`${url}/data/AAPL/1h/${query}`, { headers: auth }));
      delete hot.headers['x-request-id'];
      delete routed.headers['x-request-id'];
      expect(hot, query).toEqual(routed);
    }
    expect(
      JSON.parse((await seen(await fetch(`${url}/data/AAPL/1h?limit=50`, { headers: auth }))).body),
    ).toMatchObject({
      simulated: true,
      rows: 50,
    });
  });

  it('asks for the token, and logs each request once with its request id, whichever path answers it', async () => {
    const { url, access } = await start();
    const missing = await fetch(`${url}/data/AAPL/1h?limit=5`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="ktrdr"');
    expect(await missing.json()).toMatchObject({ success: false, error: { code: 'unauthorized' } });
    expect(
      (await fetch(`${url}/data/AAPL/1h?limit=5`, { headers: { authorization: 'Bearer nope' } })).status,
    ).toBe(401);
    const hot = await fetch(`${url}/data/AAPL/1h?limit=5`, { headers: { ...auth, 'x-request-id': 'hot-1' } });
    expect(hot.status).toBe(200);
    expect(hot.headers.get('x-request-id')).toBe('hot-1');
    expect(hot.headers.get('x-content-type-options')).toBe('nosniff');
    const routed = await fetch(`${url}/data/NOPE/1h?limit=5`, {
      headers: { ...auth, 'x-request-id': 'routed-1' },
    });
    expect(routed.status).toBe(404);
    const lines = await eventually(() => (access().length >= 4 ? access() : undefined));
    expect(lines.map((line) => [line['msg'], (line['req'] as { id: string }).id])).toEqual([
      ['GET /api/v1/data/AAPL/1h 401', expect.any(String)],
      ['GET /api/v1/data/AAPL/1h 401', expect.any(String)],
      ['GET /api/v1/data/AAPL/1h 200', 'hot-1'],
      ['GET /api/v1/data/NOPE/1h 404', 'routed-1'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(access()).toHaveLength(4);
  });
});
