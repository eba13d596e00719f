import { request as httpRequest } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceConfigurationError } from '@ktrdr/core';
import {
  createApiRouter,
  createBearerAuth,
  isLoopbackHost,
  jsonErrorHandler,
  resolveServerToken,
  startServer,
  tokensMatch,
} from '../src/index';
import { createFakeSource } from './support/fake-source';
import { Resources, errorOf, fetchJson, hasStackTrace, postJson } from './support/harness';

const resources = new Resources();
afterEach(() => resources.closeAll());

const TOKEN = 's3cret-token-for-tests';

async function ibHost(options: { token?: string; bodyLimitBytes?: number } = {}) {
  const source = createFakeSource();
  const server = await startServer({ kind: 'ib-host', port: 0, source, env: {}, ...options });
  resources.add(server, (s) => s.close());
  return { server, source };
}

/** Sends raw bytes (for bodies fetch would refuse to build). */
function rawPost(
  url: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('bind policy', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '10.0.0.1', '::ffff:10.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('refuses a non-loopback bind without a token, naming KTRDR_API_TOKEN', async () => {
    const source = createFakeSource();
    const error = await startServer({ kind: 'ib-host', host: '0.0.0.0', port: 0, source, env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceConfigurationError);
    expect((error as ServiceConfigurationError).details).toMatchObject({
      variable: 'KTRDR_API_TOKEN',
      host: '0.0.0.0',
    });
    expect((error as Error).message).toContain('KTRDR_API_TOKEN');
    expect(() => resolveServerToken('10.1.2.3', '   ', {})).toThrow(ServiceConfigurationError);
  });

  it('takes the token from the option, then KTRDR_API_TOKEN, for any host', () => {
    expect(resolveServerToken('0.0.0.0', TOKEN, {})).toBe(TOKEN);
    expect(resolveServerToken('0.0.0.0', undefined, { KTRDR_API_TOKEN: ` ${TOKEN}\n` })).toBe(TOKEN);
    expect(resolveServerToken('127.0.0.1', undefined, {})).toBeUndefined();
  });

  it('binds 127.0.0.1 by default and reports a busy port as a configuration error', async () => {
    const { server } = await ibHost();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.requiresToken).toBe(false);
    const port = Number(new URL(server.url).port);
    const error = await startServer({ kind: 'ib-host', port, source: createFakeSource(), env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceConfigurationError);
    expect((error as Error).message).toContain('already in use');
  });
});

describe('bearer token', () => {
  it('answers 401 JSON without a token or with a wrong one, and serves the right one', async () => {
    const { server } = await ibHost({ token: TOKEN });
    expect(server.requiresToken).toBe(true);
    const none = await fetchJson(`${server.url}/health`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(errorOf(none.body)).toMatchObject({ code: 'unauthorized' });
    const wrong = await fetchJson(`${server.url}/health`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('nope');
    const basic = await fetchJson(`${server.url}/health`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
    const right = await fetchJson(`${server.url}/health`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    // Unknown routes are hidden behind the token too.
    const unknown = await fetchJson(`${server.url}/admin`);
    expect(unknown.status).toBe(401);
  });

  it('reads KTRDR_API_TOKEN from the environment', async () => {
    const server = await startServer({
      kind: 'ib-host',
      port: 0,
      source: createFakeSource(),
      env: { KTRDR_API_TOKEN: TOKEN },
    });
    resources.add(server, (s) => s.close());
    expect((await fetchJson(`${server.url}/health`)).status).toBe(401);
    expect(
      (await fetchJson(`${server.url}/health`, { headers: { authorization: `bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });

  it('protects an embedded router given a token', async () => {
    const app = express();
    app.get('/public', (_req, res) => void res.json({ ok: true }));
    const router = createApiRouter({
      token: TOKEN,
      config: undefined,
      data: undefined,
      operations: undefined,
    });
    resources.add(router, (r) => r.close());
    app.use('/api/v1', router);
    const { url } = await resources.listen(app);
    expect((await fetchJson(`${url}/public`)).status).toBe(200);
    expect((await fetchJson(`${url}/api/v1/timeframes`)).status).toBe(401);
    expect(
      (await fetchJson(`${url}/api/v1/timeframes`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });

  it('compares tokens without regard to length and refuses an empty one', () => {
    expect(tokensMatch(TOKEN, TOKEN)).toBe(true);
    expect(tokensMatch(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensMatch(TOKEN, '')).toBe(false);
    expect(() => createBearerAuth('')).toThrow(ServiceConfigurationError);
  });
});

describe('limits and malformed input', () => {
  it('answers 413 JSON for a body over the limit, announced or streamed', async () => {
    const { server } = await ibHost({ bodyLimitBytes: 256 });
    const big = {
      symbol: 'AAPL',
      timeframe: '1h',
      start: '2024-03-04',
      end: '2024-03-05',
      pad: 'x'.repeat(1000),
    };
    const announced = await postJson(`${server.url}/data/historical`, big);
    expect(announced.status).toBe(413);
    expect(errorOf(announced.body)).toMatchObject({
      code: 'payload_too_large',
      details: { limitBytes: 256 },
    });
    const chunked = await rawPost(`${server.url}/data/historical`, JSON.stringify(big), {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.text)).toMatchObject({ success: false, error: { code: 'payload_too_large' } });
  });

  it('answers 400 JSON for malformed JSON and for a body that is not an object', async () => {
    const { server } = await ibHost();
    const malformed = await postJson(`${server.url}/data/historical`, '{"symbol": "AAPL",');
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.body)).toMatchObject({ code: 'validation', details: { field: '(body)' } });
    const array = await postJson(`${server.url}/data/historical`, '[1,2]');
    expect(array.status).toBe(400);
    expect(errorOf(array.body).details).toMatchObject({ field: '(body)' });
    expect(hasStackTrace(malformed.text) || hasStackTrace(array.text)).toBe(false);
  });

  it('answers 400 JSON for a path that cannot be decoded, and 404 JSON outside the routes', async () => {
    const { server } = await ibHost();
    const undecodable = await fetchJson(`${server.url}/data/symbol-info/%E0%A4%A`);
    expect(undecodable.status).toBe(400);
    expect(errorOf(undecodable.body).code).toBe('validation');
    expect(hasStackTrace(undecodable.text)).toBe(false);
    const unknown = await fetchJson(`${server.url}/`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-powered-by')).toBeNull();
  });

  it('maps errors of a host app body parser to JSON without stacks', async () => {
    const app = express();
    app.use(express.json({ limit: 64 }));
    app.post('/echo', (req, res) => void res.json(req.body));
    app.use(jsonErrorHandler);
    const { url } = await resources.listen(app);
    const tooLarge = await postJson(`${url}/echo`, { pad: 'x'.repeat(200) });
    expect(tooLarge.status).toBe(413);
    expect(errorOf(tooLarge.body).code).toBe('payload_too_large');
    const malformed = await postJson(`${url}/echo`, '{oops');
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.body).details).toMatchObject({ field: '(body)' });
    expect(hasStackTrace(tooLarge.text) || hasStackTrace(malformed.text)).toBe(false);
  });

  it('never sends a stack trace for an unexpected failure', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new TypeError('cannot read properties of undefined');
    });
    app.use(jsonErrorHandler);
    const { url } = await resources.listen(app);
    const boom = await fetchJson(`${url}/boom`);
    expect(boom.status).toBe(500);
    expect(errorOf(boom.body).code).toBe('internal');
    expect(hasStackTrace(boom.text)).toBe(false);
  });
});
