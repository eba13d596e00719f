import { describe, expect, it, vi } from 'vitest';
import {
  CancelledError,
  ERROR_CODES,
  InternalError,
  NotFoundError,
  ServiceConnectionError,
  ServiceTimeoutError,
  ValidationError,
  createServiceClient,
  type Transport,
} from '@ktrdr/core';
import { CLASS_BY_CODE, type ServiceProbe, sampleError, testContract } from './test-service';

/** A transport to a fresh test service, with that service's probe; `await using` tears both down. */
export interface ContractSubject extends AsyncDisposable {
  readonly transport: Transport;
  readonly probe: ServiceProbe;
}

/** What a call ended with, in a form two transports can be compared by. */
export type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; class: string; code: string; message: string; details: unknown; cause?: string };

/** Runs `call` and describes its outcome. */
export async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const e = error as InternalError;
    const outcome: Outcome = {
      ok: false,
      class: e.constructor.name,
      code: e.code,
      message: e.message,
      details: e.details,
    };
    if (e.cause instanceof Error) outcome.cause = e.cause.message;
    return outcome;
  }
}

/** Calls whose outcomes must be identical over every transport. */
export const PARITY_CALLS: [string, (t: Transport) => Promise<unknown>][] = [
  ['echo', (t) => createServiceClient(testContract, t).echo({ text: 'hi', n: 2 })],
  [
    'echo strips unknown output fields',
    (t) => t.call({ method: 'POST', path: '/echo', body: { text: 'x', extra: 1 } }),
  ],
  ['echo with a Date', (t) => t.call({ method: 'POST', path: '/echo', body: { text: new Date(0) } })],
  ['bad input', (t) => createServiceClient(testContract, t).echo({ text: '', n: 1.5 })],
  ['body not an object', (t) => t.call({ method: 'POST', path: '/echo', body: [1, 2] })],
  ['unknown route', (t) => t.call({ method: 'GET', path: '/nowhere' })],
  ['wrong method', (t) => t.call({ method: 'GET', path: '/echo' })],
  ['path params', (t) => createServiceClient(testContract, t).item({ id: 'EUR/USD 1h', verbose: 'true' })],
  ['query coercion', (t) => createServiceClient(testContract, t).search({ q: 'spy', limit: '7' })],
  ['query array', (t) => createServiceClient(testContract, t).search({ q: 'spy', tags: ['a', 'b'] })],
  ['query one-element array', (t) => createServiceClient(testContract, t).search({ q: 'spy', tags: ['a'] })],
  ['query out of range', (t) => createServiceClient(testContract, t).search({ q: 'spy', limit: 1000 })],
  ['delete', (t) => createServiceClient(testContract, t).remove({ id: '42' })],
  ['crash', (t) => createServiceClient(testContract, t).crash({})],
  ['invalid output', (t) => createServiceClient(testContract, t).badOutput({})],
  ...ERROR_CODES.map((code): [string, (t: Transport) => Promise<unknown>] => [
    `fail ${code}`,
    (t) => createServiceClient(testContract, t).fail({ code }),
  ]),
];

/**
 * The one contract every transport honours: the same results, the same errors (class, code,
 * message, details), the same cancellation, timeouts and progress. Run it over each transport.
 */
export function runContractSuite(name: string, makeSubject: () => Promise<ContractSubject>): void {
  describe(`transport contract: ${name}`, () => {
    it('returns the handler result, validated against the output schema', async () => {
      await using subject = await makeSubject();
      const client = createServiceClient(testContract, subject.transport);
      expect(await client.echo({ text: 'hello', n: 3 })).toEqual({ text: 'hello', n: 3 });
      expect(await client.item({ id: 'a b' })).toEqual({ id: 'a b', verbose: false });
      expect(await client.remove({ id: '9' })).toEqual({ deleted: '9' });
    });

    it('rejects bad input with a ValidationError naming the field', async () => {
      await using subject = await makeSubject();
      const error = await createServiceClient(testContract, subject.transport)
        .echo({ text: '' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details['field']).toBe('text');
      expect((error as ValidationError).message).toMatch(/^Invalid echo input: text: /);
    });

    it('coerces query strings and keeps path parameters intact', async () => {
      await using subject = await makeSubject();
      const client = createServiceClient(testContract, subject.transport);
      expect(await client.search({ q: 'spy', limit: '25' })).toEqual({ q: 'spy', limit: 25, tags: null });
      expect(await client.search({ q: 'spy', tags: ['x', 'y'] })).toEqual({
        q: 'spy',
        limit: 10,
        tags: ['x', 'y'],
      });
      expect(await client.item({ id: '%/?#' })).toEqual({ id: '%/?#', verbose: false });
    });

    it('answers an unknown route with NotFoundError', async () => {
      await using subject = await makeSubject();
      const error = await subject.transport
        .call({ method: 'DELETE', path: '/nowhere' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).message).toBe('test service has no route DELETE /nowhere');
    });

    it('rebuilds every error code as its own class', async () => {
      await using subject = await makeSubject();
      const client = createServiceClient(testContract, subject.transport);
      for (const code of ERROR_CODES) {
        const error = await client.fail({ code }).catch((e: unknown) => e);
        expect(error, code).toBeInstanceOf(CLASS_BY_CODE[code]);
        expect(error, code).toMatchObject({
          code,
          message: sampleError(code).message,
          details: sampleError(code).details,
        });
      }
    });

    it('turns an unexpected handler failure or an invalid response into InternalError', async () => {
      await using subject = await makeSubject();
      const client = createServiceClient(testContract, subject.transport);
      await expect(client.crash({})).rejects.toThrow(new InternalError('test service crash failed: boom'));
      await expect(client.badOutput({})).rejects.toThrow(/produced an invalid response/);
    });

    it('cancels mid-call, and the handler sees its signal abort', async () => {
      await using subject = await makeSubject();
      const controller = new AbortController();
      const call = createServiceClient(testContract, subject.transport).slow(
        { ms: 60_000 },
        { signal: controller.signal },
      );
      await vi.waitFor(() => expect(subject.probe.started).toBe(1));
      controller.abort();
      await expect(call).rejects.toBeInstanceOf(CancelledError);
      expect(await subject.probe.aborted).toBeInstanceOf(Error);
      expect(subject.probe.finished).toBe(0);
    });

    it('does not start the work when the signal is already aborted', async () => {
      await using subject = await makeSubject();
      const call = subject.transport.call(
        { method: 'POST', path: '/slow', body: { ms: 0 } },
        { signal: AbortSignal.abort() },
      );
      await expect(call).rejects.toBeInstanceOf(CancelledError);
      expect(subject.probe.started).toBe(0);
    });

    it('times out, and the handler sees its signal abort', async () => {
      await using subject = await makeSubject();
      const call = subject.transport.call(
        { method: 'POST', path: '/slow', body: { ms: 60_000 } },
        { timeoutMs: 50 },
      );
      await expect(call).rejects.toBeInstanceOf(ServiceTimeoutError);
      expect(await subject.probe.aborted).toBeInstanceOf(Error);
    });

    it('reports progress in order, then the result', async () => {
      await using subject = await makeSubject();
      const seen: unknown[] = [];
      const result = await createServiceClient(testContract, subject.transport).progress(
        { steps: 3 },
        { onProgress: (p) => seen.push(p) },
      );
      expect(result).toEqual({ done: true, steps: 3 });
      expect(seen).toEqual([1, 2, 3].map((step) => ({ step, of: 3 })));
    });

    it('reports progress up to a failure, then the failure as its class', async () => {
      await using subject = await makeSubject();
      const seen: unknown[] = [];
      const error = await createServiceClient(testContract, subject.transport)
        .progress({ steps: 4, failAt: 2 }, { onProgress: (p) => seen.push(p) })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'conflict', message: 'Step 2 conflicted', details: { step: 2 } });
      expect(seen).toHaveLength(2);
    });

    it('counts attempts and refuses calls once closed', async () => {
      await using subject = await makeSubject();
      await createServiceClient(testContract, subject.transport).echo({ text: 'a' });
      expect(subject.transport.counters().attempts).toBe(1);
      await subject.transport.close();
      await expect(
        subject.transport.call({ method: 'POST', path: '/echo', body: { text: 'a' } }),
      ).rejects.toBeInstanceOf(ServiceConnectionError);
    });
  });
}
