import { describe, expect, it } from 'vitest';
import {
  NotFoundError,
  type OperationContext,
  OperationRegistry,
  ValidationError,
  createInProcessTransport,
  createOperationsService,
  createServiceClient,
  operationsContract,
  serveService,
} from '@ktrdr/core';
import { httpTransportTo } from './support/servers';

/** Work that reports progress when told to and finishes when released. */
function steppedWork() {
  const steps: (() => void)[] = [];
  const work = async ({ reportProgress }: OperationContext) => {
    for (const percentage of [30, 60]) {
      await new Promise<void>((resolve) => steps.push(resolve));
      reportProgress({ percentage, current_step: `at ${percentage}` });
    }
    await new Promise<void>((resolve) => steps.push(resolve));
    return 'ok';
  };
  /** Releases the next step; false while the work has not reached one. */
  const next = () => {
    const step = steps.shift();
    step?.();
    return step !== undefined;
  };
  return { work, next };
}

function setup() {
  const registry = new OperationRegistry();
  const client = createServiceClient(
    operationsContract,
    createInProcessTransport(createOperationsService(registry)),
  );
  return { registry, client };
}

describe('operations service', () => {
  it('lists, gets and cancels operations', async () => {
    const { registry, client } = setup();
    const done = registry.start('data_load', async () => 1);
    await done.result();
    const running = registry.start(
      'training',
      ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    const list = await client.list({});
    expect(list.success).toBe(true);
    expect(list.total_count).toBe(2);
    expect((await client.list({ status: 'completed' })).data.map((op) => op.operation_id)).toEqual([done.id]);
    expect((await client.list({ operation_type: 'training', limit: '1' })).data).toHaveLength(1);
    expect((await client.get({ operation_id: done.id })).data.status).toBe('completed');
    await client.cancel({ operation_id: running.id, reason: 'from DELETE' });
    await expect(running.result()).rejects.toThrow('from DELETE');
    const again = await client.cancelByPost({ operation_id: running.id });
    expect(again.data.status).toBe('cancelled');
  });

  it('refuses malformed ids and unknown operations', async () => {
    const { client } = setup();
    await expect(client.get({ operation_id: 'nope' })).rejects.toBeInstanceOf(ValidationError);
    await expect(client.get({ operation_id: 'op_x_20240101_000000_0000abcd' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('waits for the end, streaming progress, and answers with the final snapshot', async () => {
    const { registry, client } = setup();
    const { work, next } = steppedWork();
    const handle = registry.start('data_load', work);
    const seen: unknown[] = [];
    const waiting = client.wait({ operation_id: handle.id }, { onProgress: (p) => seen.push(p) });
    for (let i = 0; i < 3; i++) {
      await expect.poll(next).toBe(true);
    }
    const final = await waiting;
    expect(final.data).toMatchObject({ status: 'completed', progress: { percentage: 100 } });
    expect(seen.map((p) => (p as { percentage: number }).percentage)).toEqual([30, 60, 100]);
    // An operation already finished answers at once.
    expect((await client.wait({ operation_id: handle.id })).data.status).toBe('completed');
  });

  it('stops waiting, not the operation, when the waiter goes away', async () => {
    const { registry, client } = setup();
    const { work, next } = steppedWork();
    const handle = registry.start('data_load', work);
    const controller = new AbortController();
    const waiting = client.wait({ operation_id: handle.id }, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    expect(handle.done).toBe(false);
    while (!handle.done) {
      next();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await handle.result()).toBe('ok');
  });

  it('streams the wait over HTTP too', async () => {
    const registry = new OperationRegistry();
    await using server = await serveService(createOperationsService(registry));
    await using transport = httpTransportTo(server.url);
    const client = createServiceClient(operationsContract, transport);
    const { work, next } = steppedWork();
    const handle = registry.start('training', work);
    const seen: unknown[] = [];
    const waiting = client.wait({ operation_id: handle.id }, { onProgress: (p) => seen.push(p) });
    // Step the work only once the server-side wait listens, so every step is observed.
    while (handle.listenerCount('progress') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    while (!handle.done) {
      next();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await waiting).data.status).toBe('completed');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({ percentage: 100 });
  });
});
