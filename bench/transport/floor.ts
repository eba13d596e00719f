/**
 * The floors: the same call with Node's own `http`, and with `fetch` over a keep-alive undici
 * `Agent` (what the transport's ky sends through), and nothing else (no contract, no validation,
 * no retries, no timeouts). They show what loopback HTTP costs on this machine before ktrdr adds
 * anything.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

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
export function portOf(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

/** A keep-alive client calling the floor server's `/echo`. */
export function floorClient(url: string, input: object): () => Promise<unknown> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true });
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

/** A `fetch` client calling the floor server's `/echo` over one keep-alive undici `Agent`. */
export function fetchFloorClient(url: string, input: object): () => Promise<unknown> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const body = JSON.stringify(input);
  const init = { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent };
  return async () => JSON.parse(await (await fetch(`${url}/echo`, init as RequestInit)).text()) as unknown;
}
