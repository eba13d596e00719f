import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessTransport, createServiceClient, operationsContract } from '@ktrdr/core';
import { QueueOperations, createQueueOperationsService } from '@ktrdr/queue';
import { type TestRedis, startTestRedis } from './support/redis-server';

let redis: TestRedis;
let ops: QueueOperations;
beforeAll(async () => {
  redis = await startTestRedis();
  ops = await QueueOperations.open({ url: redis.url });
});
afterAll(async () => {
  await ops?.close();
  await redis?.close();
});

describe('GET /operations over Redis pages like in-process', () => {
  it('answers limit operations from offset, newest first, with the total that match', async () => {
    for (let i = 0; i < 5; i += 1) await ops.enqueue('data-load', { symbol: `S${i}` });
    await ops.enqueue('training', {});
    const client = createServiceClient(
      operationsContract,
      createInProcessTransport(createQueueOperationsService(ops)),
    );
    const all = await client.list({ operation_type: 'data_load' });
    expect(all.total_count).toBe(5);
    const ids = all.data.map((info) => info.operation_id);

    const pages: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page = await client.list({ operation_type: 'data_load', limit: '2', offset: String(offset) });
      expect(page.total_count).toBe(5);
      expect(page.data.length).toBeLessThanOrEqual(2);
      pages.push(...page.data.map((info) => info.operation_id));
      offset = page.next_offset;
    }
    expect(pages).toEqual(ids);
    expect(await client.list({ limit: '1', offset: '6' })).toMatchObject({ data: [], total_count: 6 });
  });
});
