import { describe, expect, it } from 'vitest';
import {
  OperationRegistry,
  ValidationError,
  createInProcessTransport,
  createOperationsService,
  createServiceClient,
  operationsContract,
  pageOperations,
} from '@ktrdr/core';

describe('GET /operations paging (limit, offset, total_count)', () => {
  it('pages the registry newest first, counting every match', async () => {
    const registry = new OperationRegistry();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const handle = registry.start('data_load', async () => i);
      await handle.result();
      ids.unshift(handle.id);
    }
    registry.start('training', async () => 0);
    const client = createServiceClient(
      operationsContract,
      createInProcessTransport(createOperationsService(registry)),
    );
    const first = await client.list({ operation_type: 'data_load', limit: '2' });
    expect(first).toMatchObject({ total_count: 5, next_offset: 2 });
    expect(first.data.map((info) => info.operation_id)).toEqual(ids.slice(0, 2));
    const last = await client.list({ operation_type: 'data_load', limit: '2', offset: '4' });
    expect(last.data.map((info) => info.operation_id)).toEqual(ids.slice(4));
    expect(last.total_count).toBe(5);
    expect(last.next_offset).toBeUndefined();
    const all = await client.list({});
    expect(all).toMatchObject({ total_count: 6 });
    expect(all.data).toHaveLength(6);
    expect(all.next_offset).toBeUndefined();
    await expect(client.list({ offset: '-1' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('answers an empty page past the end, with the total', () => {
    expect(pageOperations([], { limit: 3 })).toEqual({ data: [], total_count: 0 });
    const page = pageOperations([{ operation_id: 'a' }, { operation_id: 'b' }] as never, {
      offset: 5,
      limit: 3,
    });
    expect(page).toEqual({ data: [], total_count: 2 });
  });
});
