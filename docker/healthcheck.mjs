#!/usr/bin/env node
/**
 * The containers' healthcheck (Node 20 slim has neither curl nor wget):
 *
 *   node docker/healthcheck.mjs http://127.0.0.1:8000/api/v1/health   # 2xx within 4 s
 *   node docker/healthcheck.mjs tcp://ktrdr-ib-sim:4002                # a TCP connection within 4 s
 *
 * An HTTP check sends `Authorization: Bearer $KTRDR_API_TOKEN` when the variable is set: a server
 * bound to 0.0.0.0 demands the token on every route, /health included. Exits 0 when healthy, 1
 * otherwise, with one line on stderr that names the URL and never the token.
 */
import { connect } from 'node:net';

const TIMEOUT_MS = 4_000;
const target = process.argv[2];

function fail(reason) {
  process.stderr.write(`unhealthy: ${target ?? '(no URL given)'}: ${reason}\n`);
  process.exit(1);
}

function checkTcp(url) {
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.setTimeout(TIMEOUT_MS, () => fail(`no connection within ${TIMEOUT_MS} ms`));
  socket.once('connect', () => {
    socket.destroy();
    process.exit(0);
  });
  socket.once('error', (error) => fail(error.code ?? error.message));
}

async function checkHttp(url) {
  const token = process.env.KTRDR_API_TOKEN?.trim();
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) fail(`HTTP ${response.status}`);
    process.exit(0);
  } catch (error) {
    fail(error.cause?.code ?? error.name ?? String(error));
  }
}

let url;
try {
  url = new URL(target ?? '');
} catch {
  fail('pass an http://, https:// or tcp:// URL');
}
if (url.protocol === 'tcp:') checkTcp(url);
else if (url.protocol === 'http:' || url.protocol === 'https:') await checkHttp(url);
else fail(`unsupported scheme ${url.protocol}`);
