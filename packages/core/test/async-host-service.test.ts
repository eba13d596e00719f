import { describe, expect, it, vi } from 'vitest';
import {
  AsyncHostService,
  type AsyncHostServiceOptions,
  type CallOptions,
  type HealthStatus,
  InternalError,
  NotFoundError,
  ServiceConfigurationError,
  ServiceConnectionError,
  type Transport,
  ValidationError,
  createInProcessTransport,
} from '@ktrdr/core';
import { startTestServer } from './support/servers';
import { createTestService, testContract } from './support/test-service';

/** The smallest adapter: typed methods over the protected helpers, as data and training adapters do. */
class TestAdapter extends AsyncHostService {
  private readonly client = this.clientFor(testContract);

  constructor(options: AsyncHostServiceOptions) {
    super('test service', options);
  }

  echo(text: string, options?: CallOptions) {
    return this.callHostServicePost<{ text: string }>('/echo', { text }, options);
  }

  search(params: Record<string, string | number | boolean | undefined>) {
    return this.callHostServiceGet<{ q: string; limit: number }>('/search', params);
  }

  item(id: string) {
    return this.client.item({ id });
  }

  async healthCheck(): Promise<HealthStatus> {
    await this.item('health');
    return { healthy: true, service: this.serviceName, mode: this.transport.kind };
  }
}

/** The in-process fallback of adapters configured for HTTP: never built. */
const unused = (): Transport => {
  throw new Error('the in-process transport must not be built when useHostService is true');
};

function inProcessAdapter() {
  const { implementation } = createTestService();
  return new TestAdapter({
    useHostService: false,
    inProcess: () => createInProcessTransport(implementation),
  });
}

describe('AsyncHostService', () => {
  it('runs in-process when useHostService is false, without building an HTTP client', async () => {
    const adapter = inProcessAdapter();
    expect(adapter.transport.kind).toBe('in-process');
    expect(await adapter.echo('hi')).toEqual({ text: 'hi' });
    expect(await adapter.healthCheck()).toEqual({
      healthy: true,
      service: 'test service',
      mode: 'in-process',
    });
  });

  it('talks to the host service over one persistent HTTP client when useHostService is true', async () => {
    await using service = await startTestServer();
    await using adapter = new TestAdapter({
      useHostService: true,
      hostServiceUrl: service.url,
      timeoutMs: 5000,
      token: 't',
      inProcess: unused,
    });
    expect(adapter.transport).toMatchObject({ kind: 'http', target: service.url });
    for (let i = 0; i < 5; i++) await adapter.echo(`call ${i}`);
    expect(await adapter.search({ q: 'spy', limit: 5, skip: undefined })).toEqual({
      q: 'spy',
      limit: 5,
      tags: null,
    });
    expect(service.connections()).toBe(1);
  });

  it('takes an explicit transport', async () => {
    const { implementation } = createTestService();
    const transport = createInProcessTransport(implementation, { kind: 'custom' });
    await using adapter = new TestAdapter({ transport });
    expect(adapter.transport).toBe(transport);
  });

  it('refuses useHostService without a URL, naming the variable', () => {
    const build = () =>
      new TestAdapter({
        useHostService: true,
        urlVariable: 'IB_HOST_SERVICE_URL',
        inProcess: unused,
      });
    expect(build).toThrow(ServiceConfigurationError);
    expect(build).toThrow('test service: useHostService is true but no hostServiceUrl was given');
    let error: unknown;
    try {
      new TestAdapter({ useHostService: true, inProcess: unused });
    } catch (caught) {
      error = caught;
    }
    expect((error as ServiceConfigurationError).details).toEqual({ variable: 'hostServiceUrl' });
  });

  it('refuses a host service URL without a scheme', () => {
    expect(
      () =>
        new TestAdapter({
          useHostService: true,
          hostServiceUrl: 'localhost:8001',
          urlVariable: 'IB_HOST_SERVICE_URL',
          inProcess: unused,
        }),
    ).toThrow(/IB_HOST_SERVICE_URL/);
  });

  it('measures calls, errors by code, latency percentiles and bytes over HTTP', async () => {
    await using service = await startTestServer();
    await using adapter = new TestAdapter({
      useHostService: true,
      hostServiceUrl: service.url,
      inProcess: unused,
    });
    for (let i = 0; i < 10; i++) await adapter.echo(`message ${i}`);
    await adapter.item('7');
    await expect(adapter.echo('')).rejects.toBeInstanceOf(ValidationError);
    await expect(adapter.search({})).rejects.toBeInstanceOf(ValidationError);
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
    const adapter = new TestAdapter({ transport: failing });
    const error = await adapter.item('1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as InternalError).message).toBe('test service call failed: socket fell over');
    await expect(adapter.echo('x')).rejects.toBeInstanceOf(InternalError);
    expect(adapter.stats()).toMatchObject({ calls: 2, errors: 2, errorsByCode: { internal: 2 } });
  });

  it('counts each error code apart', async () => {
    const adapter = inProcessAdapter();
    await expect(adapter.item('x')).resolves.toBeDefined();
    await expect(
      (adapter as unknown as { callHostServiceGet(p: string): Promise<unknown> }).callHostServiceGet(
        '/nowhere',
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(adapter.echo('')).rejects.toBeInstanceOf(ValidationError);
    expect(adapter.stats().errorsByCode).toEqual({ not_found: 1, validation: 1 });
  });

  it('closes its transport once, however often it is closed', async () => {
    const { implementation } = createTestService();
    const transport = createInProcessTransport(implementation);
    const close = vi.spyOn(transport, 'close');
    const adapter = new TestAdapter({ transport });
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
