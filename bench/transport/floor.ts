/**
 * The floors: the same call with Node's own `http`, with ky over Node's `http` (what the transport
 * is built on), and with `fetch` (undici), and nothing else (no contract, no validation, no retries,
 * no timeouts). They show what loopback HTTP, and ky itself, cost on this machine before ktrdr adds
 * anything.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ky, { type Input } from 'ky';

/** A plain server answering every POST with its JSON body plus `ok: true`. */
export function startFloorServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as object;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...input, ok: true }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The port a started server listens on. */
export function portOf(server: Pick<http.Server, 'address'>): number {
  return (server.address() as AddressInfo).port;
}

/**
 * A client calling the floor server's `/echo`: over one keep-alive connection, or (`keepAlive`
 * false) over a new connection per call, the least a new client per call can cost.
 */
export function floorClient(url: string, input: object, keepAlive = true): () => Promise<unknown> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive });
  const body = JSON.stringify(input);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  return () =>
    new Promise((resolve, reject) => {
      const req = http.request({ hostname, port, path: '/echo', method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** Sends one request over Node's `http` and answers a WHATWG `Response`: the least ky can run on. */
function nodeFetch(agent: http.Agent, body: string) {
  return (input: Input): Promise<Response> =>
    new Promise((resolve, reject) => {
      const request = input as Request; // ky hands fetch its own Request
      const { hostname, port, pathname } = new URL(request.url);
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = http.request(
        { hostname, port, path: pathname, method: request.method, agent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** ky calling the floor server's `/echo` through {@link nodeFetch} with a keep-alive agent. */
export function kyFloorClient(url: string, input: object): () => Promise<unknown> {
  const client = ky.create({ fetch: nodeFetch(new http.Agent({ keepAlive: true }), JSON.stringify(input)) });
  return () => client.post(`${url}/echo`).json();
}

/** A `fetch` client calling the floor server's `/echo` (Node's global dispatcher keeps connections alive). */
export function fetchFloorClient(url: string, input: object): () => Promise<unknown> {
  const init = {
    method: 'POST',
    body: JSON.stringify(input),
    headers: { 'content-type': 'application/json' },
  };
  return async () => JSON.parse(await (await fetch(`${url}/echo`, init)).text()) as unknown;
}
