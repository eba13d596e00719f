import { describe, expect, it, vi } from 'vitest';
import {
  AsyncHostService,
  type CallOptions,
  type ErrorCode,
  type HealthStatus,
  type Interceptor,
  InternalError,
  NotFoundError,
  ServiceConfigurationError,
  ServiceConnectionError,
  type ServiceImplementation,
  type Transport,
  type TransportChoice,
  ValidationError,
  createInProcessTransport,
  loadConfig,
} from '@ktrdr/core';
import { startTestServer } from './support/servers';
import { createTestService, testContract } from './support/test-service';

/** The smallest adapter: typed methods over a client of its contract, as data and training adapters are. */
class TestAdapter extends AsyncHostService {
  private readonly client = this.clientFor(testContract);

  constructor(choice: TransportChoice, interceptors: Interceptor[] = []) {
    super('test service', choice, interceptors);
  }

  echo(text: string, options?: CallOptions) {
    return this.client.echo({ text }, options);
  }

  search(input: { q: string; limit?: number }) {
    return this.client.search(input);
  }

  item(id: string) {
    return this.client.item({ id });
  }

  fail(code: ErrorCode) {
    return this.client.fail({ code });
  }

  async healthCheck(): Promise<HealthStatus> {
    await this.item('health');
    return { healthy: true, service: this.serviceName, mode: this.transport.kind };
  }
}

/** The in-process implementation of adapters configured for HTTP: never built. */
const unused = (): ServiceImplementation => {
  throw new Error('the in-process implementation must not be built when the host service is used');
};

/** A configuration that routes the IB host service to `url` (`USE_IB_HOST_SERVICE=true`), or in-process. */
const ibConfig = (url?: string) =>
  loadConfig(url === undefined ? {} : { ib: { useHostService: true, hostServiceUrl: url } }, {});

function inProcessAdapter() {
  const { implementation } = createTestService();
  return new TestAdapter({ kind: 'in-process', implementation });
}

describe('AsyncHostService', () => {
  it('runs in-process when the configuration says so, without building an HTTP client', async () => {
    const { implementation } = createTestService();
    const inProcess = vi.fn(() => implementation);
    const adapter = new TestAdapter({ kind: 'config', config: ibConfig(), service: 'ib', inProcess });
    expect(inProcess).toHaveBeenCalledTimes(1);
    expect(adapter.transport.kind).toBe('in-process');
    expect(await adapter.echo('hi')).toEqual({ text: 'hi' });
    expect(await adapter.healthCheck()).toEqual({
      healthy: true,
      service: 'test service',
      mode: 'in-process',
    });
  });

  it('talks to the host service the configuration names over one persistent HTTP client', async () => {
    await using service = await startTestServer();
    await using adapter = new TestAdapter({
      kind: 'config',
      config: ibConfig(service.url),
      service: 'ib',
      token: 't',
      inProcess: unused,
    });
    expect(adapter.transport).toMatchObject({ kind: 'http', target: service.url });
    for (let i = 0; i < 5; i++) await adapter.echo(`call ${i}`);
    expect(await adapter.search({ q: 'spy', limit: 5 })).toEqual({ q: 'spy', limit: 5, tags: null });
    expect(service.connections()).toBe(1);
  });

  it('takes an explicit transport', async () => {
    const { implementation } = createTestService();
    const transport = createInProcessTransport(implementation, { kind: 'custom' });
    await using adapter = new TestAdapter({ kind: 'transport', transport });
    expect(adapter.transport).toBe(transport);
  });

  it('refuses a host service URL without a scheme, naming the variable', () => {
    const build = () =>
      new TestAdapter({ kind: 'http', url: 'localhost:8001', urlVariable: 'IB_HOST_SERVICE_URL' });
    expect(build).toThrow(ServiceConfigurationError);
    expect(build).toThrow(/IB_HOST_SERVICE_URL/);
  });

  it('counts calls outermost: interceptors of the adapter run inside the statistics', async () => {
    const seen: string[] = [];
    const failing: Interceptor = () => async (request) => {
      seen.push(request.path);
      throw new Error('refused by an interceptor');
    };
    const adapter = new TestAdapter(
      { kind: 'in-process', implementation: createTestService().implementation },
      [failing],
    );
    await expect(adapter.echo('x')).rejects.toBeInstanceOf(InternalError);
    expect(seen).toEqual(['/echo']);
    expect(adapter.stats()).toMatchObject({
      calls: 1,
      errors: 1,
      errorsByCode: { internal: 1 },
      attempts: 0,
    });
  });

  it('measures calls, errors by code, latency percentiles and bytes over HTTP', async () => {
    await using service = await startTestServer();
    await using adapter = new TestAdapter({ kind: 'http', url: service.url });
    for (let i = 0; i < 10; i++) await adapter.echo(`message ${i}`);
    await adapter.item('7');
    await expect(adapter.echo('')).rejects.toBeInstanceOf(ValidationError);
    await expect(adapter.search({ q: '' })).rejects.toBeInstanceOf(ValidationError);
    const stats = adapter.stats();
    expect(stats).toMatchObject({
      service: 'test service',
      transport: 'http',
      target: service.url,
      calls: 13,
      errors: 2,
      errorsByCode: { validation: 2 },
      attempts: 13,
      retries: 0,
    });
    expect(stats.latencyMs.p50).toBeGreaterThan(0);
    expect(stats.latencyMs.p90).toBeGreaterThanOrEqual(stats.latencyMs.p50);
    expect(stats.latencyMs.p99).toBeGreaterThanOrEqual(stats.latencyMs.p90);
    expect(stats.latencyMs.max).toBeGreaterThanOrEqual(stats.latencyMs.p99);
    expect(stats.bytesSent).toBeGreaterThan(0);
    expect(stats.bytesReceived).toBeGreaterThan(0);
  });

  it('starts with zeroed statistics', () => {
    expect(inProcessAdapter().stats()).toMatchObject({
      calls: 0,
      errors: 0,
      errorsByCode: {},
      latencyMs: { p50: 0, p90: 0, p99: 0, max: 0 },
      bytesSent: 0,
    });
  });

  it('counts calls through the typed client, and normalises foreign failures', async () => {
    const failing: Transport = {
      kind: 'flaky',
      serviceName: 'test service',
      target: 'nowhere',
      counters: () => ({ bytesSent: 0, bytesReceived: 0, attempts: 0, retries: 0 }),
      close: async () => undefined,
      call: async () => {
        throw new Error('socket fell over');
      },
    };
    const adapter = new TestAdapter({ kind: 'transport', transport: failing });
    const error = await adapter.item('1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as InternalError).message).toBe('test service call failed: socket fell over');
    await expect(adapter.echo('x')).rejects.toBeInstanceOf(InternalError);
    expect(adapter.stats()).toMatchObject({ calls: 2, errors: 2, errorsByCode: { internal: 2 } });
  });

  it('counts each error code apart', async () => {
    const adapter = inProcessAdapter();
    await expect(adapter.item('x')).resolves.toBeDefined();
    await expect(adapter.fail('not_found')).rejects.toBeInstanceOf(NotFoundError);
    await expect(adapter.echo('')).rejects.toBeInstanceOf(ValidationError);
    expect(adapter.stats().errorsByCode).toEqual({ not_found: 1, validation: 1 });
  });

  it('closes its transport once, however often it is closed', async () => {
    const { implementation } = createTestService();
    const transport = createInProcessTransport(implementation);
    const close = vi.spyOn(transport, 'close');
    const adapter = new TestAdapter({ kind: 'transport', transport });
    await Promise.all([adapter.close(), adapter.close()]);
    await adapter[Symbol.asyncDispose]();
    expect(close).toHaveBeenCalledTimes(1);
    await expect(adapter.echo('x')).rejects.toBeInstanceOf(ServiceConnectionError);
  });

  it('closes at the end of an `await using` scope', async () => {
    let adapter: TestAdapter | undefined;
    {
      await using scoped = inProcessAdapter();
      adapter = scoped;
      expect(await scoped.echo('inside')).toEqual({ text: 'inside' });
    }
    await expect(adapter.echo('after')).rejects.toBeInstanceOf(ServiceConnectionError);
  });
});
