import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CancelledError,
  ServiceTimeoutError,
  createInProcessTransport,
  defineRoute,
  defineService,
  implementService,
} from '@ktrdr/core';
import { createTestService } from './support/test-service';

const stubborn = defineService('stubborn service', {
  hang: defineRoute({ method: 'POST', path: '/hang', input: z.object({}), output: z.object({}) }),
});

/** A handler that never looks at its signal and never finishes. */
const hanging = implementService(stubborn, { hang: () => new Promise<never>(() => undefined) });

describe('in-process transport', () => {
  it('does not keep the caller waiting on a handler that ignores its signal', async () => {
    const transport = createInProcessTransport(hanging);
    const controller = new AbortController();
    const call = transport.call({ method: 'POST', path: '/hang', body: {} }, { signal: controller.signal });
    controller.abort(new Error('user pressed Ctrl-C'));
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toBe('stubborn service POST /hang was cancelled');
    expect(((error as CancelledError).cause as Error).message).toBe('user pressed Ctrl-C');
  });

  it('applies its default timeout, and the tighter of a call timeout and deadline', async () => {
    const transport = createInProcessTransport(hanging, { timeoutMs: 20 });
    const byDefault = await transport
      .call({ method: 'POST', path: '/hang', body: {} })
      .catch((e: unknown) => e);
    expect(byDefault).toBeInstanceOf(ServiceTimeoutError);
    expect((byDefault as ServiceTimeoutError).details).toEqual({
      service: 'stubborn service',
      timeoutMs: 20,
    });
    const byDeadline = await transport
      .call({ method: 'POST', path: '/hang', body: {} }, { timeoutMs: 60_000, deadlineMs: 10 })
      .catch((e: unknown) => e);
    expect((byDeadline as ServiceTimeoutError).details['timeoutMs']).toBe(10);
  });

  it('tells the handler it runs in-process and reports its kind and target', async () => {
    const { implementation, probe } = createTestService();
    const transport = createInProcessTransport(implementation, { kind: 'ib' });
    expect(transport).toMatchObject({ kind: 'ib', target: 'in-process', serviceName: 'test service' });
    await transport.call({ method: 'POST', path: '/echo', body: { text: 'x' } });
    expect(probe.transports).toEqual(['in-process']);
    expect(transport.counters()).toEqual({ bytesSent: 0, bytesReceived: 0, attempts: 1, retries: 0 });
  });

  it('drops progress quietly when the caller did not ask for it', async () => {
    const { implementation } = createTestService();
    const transport = createInProcessTransport(implementation);
    expect(await transport.call({ method: 'POST', path: '/progress', body: { steps: 2 } })).toEqual({
      done: true,
      steps: 2,
    });
  });
});
