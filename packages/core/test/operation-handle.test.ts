import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  InternalError,
  type OperationContext,
  type OperationProgress,
  OperationRegistry,
  ValidationError,
  createOperationId,
  isOperationId,
  sleep,
} from '@ktrdr/core';

/** Work that waits for `release()` and honours its signal. */
function gated<T>(value: T) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let context: OperationContext | undefined;
  const work = async (ctx: OperationContext) => {
    context = ctx;
    await Promise.race([
      gate,
      new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
    ]);
    return value;
  };
  return { work, release: () => release(), context: () => context! };
}

describe('operation ids', () => {
  it('follow op_{type}_{YYYYMMDD_HHMMSS}_{8 hex} in UTC', () => {
    const id = createOperationId('data_load', new Date('2024-03-05T07:08:09Z'));
    expect(id).toMatch(/^op_data_load_20240305_070809_[0-9a-f]{8}$/);
    expect(isOperationId(id)).toBe(true);
    expect(createOperationId('data_load')).not.toBe(createOperationId('data_load'));
  });

  it('turn any type into a valid id', () => {
    expect(createOperationId('Data-Load v2')).toMatch(/^op_data_load_v2_\d{8}_\d{6}_[0-9a-f]{8}$/);
    expect(isOperationId(createOperationId(''))).toBe(true);
    expect(isOperationId('op_x_2024_1')).toBe(false);
  });
});

describe('OperationHandle', () => {
  it('goes pending, running, completed and resolves with the result', async () => {
    const registry = new OperationRegistry();
    const { work, release } = gated({ rows: 3 });
    const handle = registry.start('data_load', work, {
      metadata: { symbol: 'AAPL' },
      summarize: (result) => ({ rows: result.rows }),
    });
    const statuses: string[] = [];
    handle.on('status', (status) => statuses.push(status));
    expect(handle.status).toBe('pending');
    expect(handle.done).toBe(false);
    await expect.poll(() => handle.status).toBe('running');
    release();
    expect(await handle.result()).toEqual({ rows: 3 });
    expect(statuses).toEqual(['running', 'completed']);
    const info = handle.describe();
    expect(info).toMatchObject({
      operation_id: handle.id,
      operation_type: 'data_load',
      status: 'completed',
      metadata: { symbol: 'AAPL' },
      progress: { percentage: 100 },
      result_summary: { rows: 3 },
    });
    expect(Date.parse(info.completed_at!)).toBeGreaterThanOrEqual(Date.parse(info.started_at!));
    expect(Date.parse(info.started_at!)).toBeGreaterThanOrEqual(Date.parse(info.created_at));
  });

  it('merges progress updates, never lets the percentage go back, and emits copies', async () => {
    const registry = new OperationRegistry();
    const { work, release, context } = gated(null);
    const handle = registry.start('training', work);
    const events: OperationProgress[] = [];
    handle.on('progress', (progress) => events.push(progress));
    await expect.poll(() => handle.status).toBe('running');
    context().reportProgress({ percentage: 40, current_step: 'Epoch 4/10' });
    context().reportProgress({ items_processed: 400, items_total: 1000 });
    context().reportProgress({ percentage: 10, context: { loss: 0.3 } });
    context().reportProgress({ percentage: 250 });
    expect(handle.progress).toEqual({
      percentage: 100,
      current_step: 'Epoch 4/10',
      items_processed: 400,
      items_total: 1000,
      context: { loss: 0.3 },
    });
    expect(events.map((e) => e.percentage)).toEqual([40, 40, 40, 100]);
    events[0]!.percentage = -1;
    expect(handle.progress.percentage).toBe(100);
    release();
    await handle.result();
    // Work that reported 100% itself gets no second, identical event at completion.
    expect(events).toHaveLength(4);
    context().reportProgress({ percentage: 5, current_step: 'late' });
    expect(handle.progress.current_step).toBe('Epoch 4/10');
  });

  it('iterates progress and ends when the operation completes', async () => {
    const registry = new OperationRegistry();
    const handle = registry.start('data_load', async ({ reportProgress }) => {
      for (const percentage of [25, 50, 75]) {
        await sleep(1);
        reportProgress({ percentage });
      }
      return 'done';
    });
    const seen: number[] = [];
    for await (const progress of handle) seen.push(progress.percentage);
    expect(seen).toEqual([25, 50, 75, 100]);
    expect(handle.status).toBe('completed');
    expect(handle.listenerCount('progress')).toBe(0);
    // Iterating a finished operation ends at once.
    for await (const progress of handle) expect.unreachable(String(progress));
  });

  it('cancels: CancelledError, status cancelled, the reason kept', async () => {
    const registry = new OperationRegistry();
    const { work } = gated('never');
    const handle = registry.start('training', work);
    await expect.poll(() => handle.status).toBe('running');
    const iterated = (async () => {
      for await (const progress of handle) void progress;
      return 'ended';
    })();
    handle.cancel('user asked');
    const error = await handle.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).message).toBe(`Operation ${handle.id} was cancelled: user asked`);
    expect(handle.describe()).toMatchObject({
      status: 'cancelled',
      error_code: 'cancelled',
      error_message: `Operation ${handle.id} was cancelled: user asked`,
    });
    expect(await iterated).toBe('ended');
    handle.cancel('again');
    expect(handle.describe().error_message).toContain('user asked');
  });

  it('never runs work cancelled before it started', async () => {
    const registry = new OperationRegistry();
    let ran = false;
    const handle = registry.start('training', async () => {
      ran = true;
    });
    handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(CancelledError);
    expect(ran).toBe(false);
    expect(handle.describe().started_at).toBeUndefined();
  });

  it('stays cancelled when the work ignores its signal and finishes anyway', async () => {
    const registry = new OperationRegistry();
    const handle = registry.start('training', async () => {
      await sleep(20);
      return 'finished regardless';
    });
    await expect.poll(() => handle.status).toBe('running');
    handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(CancelledError);
    expect(handle.status).toBe('cancelled');
  });

  it('fails with the error message and code when the work throws', async () => {
    const registry = new OperationRegistry();
    const crashed = registry.start('data_load', async () => {
      throw new Error('disk full');
    });
    const error = await crashed.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect(crashed.describe()).toMatchObject({
      status: 'failed',
      error_message: 'data_load failed: disk full',
      error_code: 'internal',
    });
    const invalid = registry.start('data_load', async () => {
      throw new ValidationError('bad timeframe', { details: { field: 'timeframe' } });
    });
    await expect(invalid.result()).rejects.toBeInstanceOf(ValidationError);
    expect(invalid.describe()).toMatchObject({ status: 'failed', error_code: 'validation' });
    const selfCancelled = registry.start('data_load', async () => {
      throw new CancelledError('gave up');
    });
    await expect(selfCancelled.result()).rejects.toBeInstanceOf(CancelledError);
    expect(selfCancelled.status).toBe('cancelled');
  });

  it('is cancelled by an external signal, and stops listening to it once done', async () => {
    const registry = new OperationRegistry();
    const controller = new AbortController();
    const { work } = gated(1);
    const handle = registry.start('training', work, { signal: controller.signal });
    await expect.poll(() => handle.status).toBe('running');
    controller.abort('shutdown');
    await expect(handle.result()).rejects.toThrow('Caller aborted: shutdown');
    expect(handle.status).toBe('cancelled');

    const early = registry.start('training', async () => 1, { signal: AbortSignal.abort('too late') });
    await expect(early.result()).rejects.toBeInstanceOf(CancelledError);

    const longLived = new AbortController();
    const quick = registry.start('training', async () => 2, { signal: longLived.signal });
    expect(await quick.result()).toBe(2);
    expect(getEventListeners(longLived.signal, 'abort')).toHaveLength(0);
  });
});
