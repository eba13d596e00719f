import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, NotFoundError, type OperationContext, OperationRegistry } from '@ktrdr/core';

/** Work that runs until its signal aborts. */
const untilCancelled = ({ signal }: OperationContext) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

afterEach(() => vi.useRealTimers());

describe('OperationRegistry', () => {
  it('finds operations by id and says when it knows none', async () => {
    const registry = new OperationRegistry();
    const handle = registry.start('data_load', async () => 1);
    expect(registry.get(handle.id)).toBe(handle);
    const error = (() => {
      try {
        registry.get('op_x_20240101_000000_00000000');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).details).toEqual({ operationId: 'op_x_20240101_000000_00000000' });
    await handle.result();
  });

  it('keeps what failed or cancelled work kept as its result summary, when the work says', async () => {
    const registry = new OperationRegistry();
    const kept = new Map<unknown, Record<string, unknown>>();
    const summarizeFailure = (error: unknown) => kept.get(error);
    const failure = new NotFoundError('gone');
    kept.set(failure, { bars: 3 });
    const failed = registry.start(
      'data_load',
      async () => {
        throw failure;
      },
      { summarizeFailure },
    );
    await expect(failed.result()).rejects.toBe(failure);
    expect(failed.describe()).toMatchObject({ status: 'failed', result_summary: { bars: 3 } });

    const cancelled = registry.start(
      'data_load',
      async (context) => {
        try {
          return await untilCancelled(context);
        } catch (error) {
          kept.set(error, { bars: 5 });
          throw error;
        }
      },
      { summarizeFailure },
    );
    await expect.poll(() => cancelled.status).toBe('running');
    cancelled.cancel('enough');
    await expect(cancelled.result()).rejects.toBeInstanceOf(CancelledError);
    expect(cancelled.describe()).toMatchObject({ status: 'cancelled', result_summary: { bars: 5 } });

    const plain = registry.start('data_load', async () => Promise.reject(new NotFoundError('x')), {
      summarizeFailure,
    });
    await expect(plain.result()).rejects.toBeInstanceOf(NotFoundError);
    expect(plain.describe().result_summary).toBeUndefined();
  });

  it('lists newest first, filtered by status and type, up to a limit', async () => {
    const registry = new OperationRegistry();
    const first = registry.start('data_load', async () => 1);
    const second = registry.start('training', untilCancelled);
    const third = registry.start('data_load', async () => 3);
    await Promise.all([first.result(), third.result()]);
    await expect.poll(() => second.status).toBe('running');
    expect(registry.list().map((info) => info.operation_id)).toEqual([third.id, second.id, first.id]);
    expect(registry.list({ status: 'running' }).map((info) => info.operation_id)).toEqual([second.id]);
    expect(registry.list({ type: 'data_load' }).map((info) => info.operation_id)).toEqual([
      third.id,
      first.id,
    ]);
    expect(registry.list({ type: 'data_load', limit: 1 }).map((info) => info.operation_id)).toEqual([
      third.id,
    ]);
    await registry.cancelAll();
  });

  it('cancels one operation by id and returns its snapshot', async () => {
    const registry = new OperationRegistry();
    const handle = registry.start('training', untilCancelled);
    await expect.poll(() => handle.status).toBe('running');
    expect(registry.cancel(handle.id, 'stop').operation_id).toBe(handle.id);
    await expect(handle.result()).rejects.toBeInstanceOf(CancelledError);
    expect(registry.cancel(handle.id).status).toBe('cancelled');
  });

  it('drops finished operations after the retention period, never running ones', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
    const registry = new OperationRegistry({ retentionMs: 60_000 });
    const finished = registry.start('data_load', async () => 1);
    const running = registry.start('training', untilCancelled);
    await finished.result();
    vi.setSystemTime(new Date('2024-01-01T00:00:59Z'));
    expect(registry.list()).toHaveLength(2);
    vi.setSystemTime(new Date('2024-01-01T00:01:01Z'));
    expect(registry.list().map((info) => info.operation_id)).toEqual([running.id]);
    expect(() => registry.get(finished.id)).toThrow(NotFoundError);
    await registry.cancelAll();
  });

  it('keeps at most maxFinished finished operations, evicting the oldest', async () => {
    const registry = new OperationRegistry({ maxFinished: 2 });
    const running = registry.start('training', untilCancelled);
    const done = [];
    for (let i = 0; i < 4; i++) {
      const handle = registry.start('data_load', async () => i);
      await handle.result();
      done.push(handle.id);
    }
    expect(registry.list().map((info) => info.operation_id)).toEqual([done[3], done[2], running.id]);
    await registry.cancelAll();
  });

  it('cancels every running operation and waits for them to settle', async () => {
    const registry = new OperationRegistry();
    const finished = registry.start('data_load', async () => 'kept');
    await finished.result();
    const running = [registry.start('training', untilCancelled), registry.start('data_load', untilCancelled)];
    await registry.cancelAll('shutting down for the test');
    for (const handle of running) {
      expect(handle.status).toBe('cancelled');
      expect(handle.describe().error_message).toContain('shutting down for the test');
    }
    expect(finished.status).toBe('completed');
  });
});
