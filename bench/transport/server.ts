/**
 * Serves the bench service in its own process, so the client and the server do not share one
 * event loop (they would not in production), plus the plain-`http` floor server, and the bench
 * service over HTTPS when `BENCH_TLS_KEY` and `BENCH_TLS_CERT` name a key and certificate. Prints
 * the base URLs on the first line of stdout, space-separated (HTTPS last, `-` without it).
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createRequestListener, serveService } from '@ktrdr/core';
import { portOf, startFloorServer } from './floor';
import { benchImplementation } from './service';

const server = await serveService(benchImplementation);
const floor = await startFloorServer();
const keyPath = process.env['BENCH_TLS_KEY'];
const certPath = process.env['BENCH_TLS_CERT'];
let secure: https.Server | undefined;
if (keyPath !== undefined && certPath !== undefined) {
  const listener = createRequestListener(benchImplementation);
  secure = https.createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath) }, (req, res) =>
    listener(req, res),
  );
  await new Promise<void>((resolve) => secure?.listen(0, '127.0.0.1', () => resolve()));
}
const secureUrl = secure === undefined ? '-' : `https://127.0.0.1:${portOf(secure)}`;
process.stdout.write(`${server.url} http://127.0.0.1:${portOf(floor)} ${secureUrl}\n`);
const stop = () => {
  floor.close();
  secure?.close();
  secure?.closeAllConnections();
  void server.close().then(() => process.exit(0));
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
