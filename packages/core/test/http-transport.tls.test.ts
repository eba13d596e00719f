import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ServiceConnectionError, createRequestListener } from '@ktrdr/core';
import { httpTransportTo } from './support/servers';
import { createTestService } from './support/test-service';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The test service over HTTPS on 127.0.0.1, with a self-signed certificate for that address. */
async function httpsServer(): Promise<{ url: string; requests: () => number } & AsyncDisposable> {
  const listener = createRequestListener(createTestService().implementation);
  let requests = 0;
  const server: Server = createServer(
    { key: readFileSync(fixture('key.pem')), cert: readFileSync(fixture('cert.pem')) },
    (req, res) => {
      requests++;
      listener(req, res);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests: () => requests,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('HTTP transport over TLS', () => {
  it('refuses an untrusted certificate once, saying how to trust a private CA', async () => {
    await using service = await httpsServer();
    await using transport = httpTransportTo(service.url, { retry: { limit: 2, maxDelayMs: 1 } });
    const error = await transport.call({ method: 'GET', path: '/items/1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceConnectionError);
    expect((error as ServiceConnectionError).message).toMatch(
      /test service at https:\/\/127\.0\.0\.1:\d+ presented a TLS certificate .*\(DEPTH_ZERO_SELF_SIGNED_CERT\).*NODE_EXTRA_CA_CERTS/,
    );
    expect(transport.counters()).toMatchObject({ attempts: 1, retries: 0 });
    expect(service.requests()).toBe(0);
  });

  it('calls over HTTPS when the certificate is trusted', async () => {
    await using service = await httpsServer();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fixture('call-over-https.ts'), service.url],
      { cwd: REPO_ROOT, env: { PATH: process.env['PATH'], NODE_EXTRA_CA_CERTS: fixture('cert.pem') } },
    );
    expect(JSON.parse(stdout)).toEqual({
      answer: { text: 'over tls' },
      counters: { attempts: 1, retries: 0, bytesSent: 19, bytesReceived: 19 },
    });
    expect(service.requests()).toBe(1);
  }, 30_000);
});
