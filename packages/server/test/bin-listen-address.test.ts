import { ServiceConfigurationError } from '@ktrdr/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ListenAddressError, resolveListenAddress } from '../src/bin/listen-address';
import { runServerBin } from '../src/bin/run-server-bin';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

describe('server bins: host and port from flags, then the environment, then defaults', () => {
  it.each([
    ['defaults', 'api', {}, {}, { host: '127.0.0.1', port: 8000 }],
    ['PORT', 'api', {}, { PORT: '9000' }, { host: '127.0.0.1', port: 9000 }],
    [
      "the server's own variable over PORT",
      'ib-host',
      {},
      { PORT: '9000', KTRDR_IB_HOST_PORT: '9001', KTRDR_API_PORT: '9999' },
      { host: '127.0.0.1', port: 9001 },
    ],
    [
      'flags over every variable',
      'training-host',
      { host: '::1', port: '0' },
      { PORT: '9000', KTRDR_TRAINING_HOST_PORT: '9002', KTRDR_HOST: '10.0.0.5' },
      { host: '::1', port: 0 },
    ],
    ['KTRDR_HOST', 'api', {}, { KTRDR_HOST: ' 0.0.0.0 ' }, { host: '0.0.0.0', port: 8000 }],
    ['blank variables as unset', 'api', {}, { KTRDR_HOST: ' ', PORT: '' }, { host: '127.0.0.1', port: 8000 }],
    // tcsh exports HOST as the machine's name: reading it would move servers off loopback.
    ['never a bare HOST', 'api', {}, { HOST: 'my-laptop' }, { host: '127.0.0.1', port: 8000 }],
  ] as const)('%s', (_name, kind, flags, env, expected) => {
    expect(resolveListenAddress(kind, flags, env)).toEqual(expected);
  });

  it('refuses a bad port variable naming it, and a bad --port as a usage error', () => {
    const bad = () => resolveListenAddress('api', {}, { KTRDR_API_PORT: '80a' });
    expect(bad).toThrow(ServiceConfigurationError);
    expect(bad).toThrow(/KTRDR_API_PORT must be an integer from 0 to 65535, got '80a'/);
    expect(() => resolveListenAddress('api', {}, { PORT: '70000' })).toThrow(/^PORT must/);
    expect(() => resolveListenAddress('api', { port: '-1' }, {})).toThrow(ListenAddressError);
    expect(() => resolveListenAddress('api', { host: ' ' }, {})).toThrow(ListenAddressError);
  });

  /** Runs the IB host bin in-process; returns the server it started (if any), stderr and the exit code. */
  async function runIbHost(argv: string[] = []) {
    const stderr: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
    vi.stubEnv('LOG_LEVEL', 'silent');
    const server = await runServerBin(
      'ktrdr-ib-host',
      'ib-host',
      ({ host, port }) => ({ kind: 'ib-host', host, port }),
      argv,
    );
    vi.restoreAllMocks();
    return { server, stderr: stderr.join(''), exitCode: process.exitCode };
  }

  it('a bin listens where the variables say', async () => {
    vi.stubEnv('KTRDR_HOST', '127.0.0.1');
    vi.stubEnv('KTRDR_IB_HOST_PORT', '0');
    vi.stubEnv('PORT', '1'); // would fail to bind (privileged): the server's own variable wins
    const { server, stderr } = await runIbHost();
    expect(stderr).toBe('');
    try {
      expect(server?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server?.server.address()).toMatchObject({ address: '127.0.0.1' });
      const health = await fetch(`${server?.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      await server?.close();
    }
  });

  it('a host from KTRDR_HOST still needs the token, like --host', async () => {
    vi.stubEnv('KTRDR_HOST', '0.0.0.0');
    vi.stubEnv('KTRDR_IB_HOST_PORT', '0');
    vi.stubEnv('KTRDR_API_TOKEN', '');
    const { server, stderr, exitCode } = await runIbHost();
    expect(server).toBeUndefined();
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(
      /^ktrdr-ib-host: Refusing to listen on 0\.0\.0\.0 without a bearer token: set KTRDR_API_TOKEN/,
    );
  });

  it('a bad port variable exits 1 naming it, before anything starts', async () => {
    vi.stubEnv('PORT', 'eighty');
    const { server, stderr, exitCode } = await runIbHost();
    expect(server).toBeUndefined();
    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      "ktrdr-ib-host: PORT must be an integer from 0 to 65535, got 'eighty': fix it or pass --port.\n",
    );
  });
});
