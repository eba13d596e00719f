import { z } from 'zod';
import type { KtrdrError } from '@ktrdr/core';
import {
  CancelledError,
  ConflictError,
  DataUnavailableError,
  ERROR_CODES,
  type ErrorCode,
  HostServiceError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceConfigurationError,
  ServiceConnectionError,
  ServiceTimeoutError,
  UnauthorizedError,
  UnknownSymbolError,
  ValidationError,
  defineRoute,
  defineService,
  implementService,
  sleep,
} from '@ktrdr/core';

/** The class each code is expected to rebuild as. */
export const CLASS_BY_CODE: Record<ErrorCode, typeof KtrdrError> = {
  connection_failed: ServiceConnectionError,
  timeout: ServiceTimeoutError,
  configuration: ServiceConfigurationError,
  validation: ValidationError,
  unauthorized: UnauthorizedError,
  not_found: NotFoundError,
  unknown_symbol: UnknownSymbolError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  cancelled: CancelledError,
  rate_limited: RateLimitedError,
  data_unavailable: DataUnavailableError,
  host_service: HostServiceError,
  internal: InternalError,
};

/** A representative error of each code, with details, as a handler would throw it. */
export function sampleError(code: ErrorCode): KtrdrError {
  const options = { details: { field: 'symbol', code } };
  switch (code) {
    case 'rate_limited':
      return new RateLimitedError('Too many requests; wait and retry', { ...options, retryAfterMs: 2000 });
    case 'host_service':
      return new HostServiceError('Upstream answered 502', { ...options, status: 502 });
    default: {
      const Class = CLASS_BY_CODE[code] as new (message: string, o: typeof options) => KtrdrError;
      return new Class(`Sample ${code} error`, options);
    }
  }
}

/** The contract every transport test runs against: one route per behaviour worth checking. */
export const testContract = defineService('test service', {
  echo: defineRoute({
    method: 'POST',
    path: '/echo',
    input: z.object({ text: z.string().min(1), n: z.number().int().optional() }),
    output: z.object({ text: z.string(), n: z.number().int().optional(), at: z.string().optional() }),
  }),
  item: defineRoute({
    method: 'GET',
    path: '/items/:id',
    input: z.object({ id: z.string(), verbose: z.stringbool().default(false) }),
    output: z.object({ id: z.string(), verbose: z.boolean() }),
  }),
  search: defineRoute({
    method: 'GET',
    path: '/search',
    input: z.object({
      q: z.string().min(1),
      limit: z.coerce.number().int().min(1).max(100).default(10),
      tags: z.union([z.string(), z.array(z.string())]).optional(),
    }),
    output: z.object({ q: z.string(), limit: z.number(), tags: z.unknown() }),
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/items/:id',
    input: z.object({ id: z.string() }),
    output: z.object({ deleted: z.string() }),
  }),
  fail: defineRoute({
    method: 'POST',
    path: '/fail',
    input: z.object({ code: z.enum(ERROR_CODES) }),
    output: z.object({}),
  }),
  crash: defineRoute({
    method: 'POST',
    path: '/crash',
    input: z.object({}),
    output: z.object({}),
  }),
  badOutput: defineRoute({
    method: 'GET',
    path: '/bad-output',
    input: z.object({}),
    output: z.object({ count: z.number() }),
  }),
  slow: defineRoute({
    method: 'POST',
    path: '/slow',
    input: z.object({ ms: z.number().int().min(0) }),
    output: z.object({ slept: z.number() }),
    idempotent: true,
  }),
  progress: defineRoute({
    method: 'POST',
    path: '/progress',
    input: z.object({ steps: z.number().int().min(1), failAt: z.number().int().optional() }),
    output: z.object({ done: z.literal(true), steps: z.number() }),
  }),
});

/** What the serving side saw, so tests can check the work stopped there too. */
export interface ServiceProbe {
  /** Resolves with the abort reason when a `slow` handler's signal aborts. */
  aborted: Promise<unknown>;
  /** `slow` handlers that started. */
  started: number;
  /** `slow` handlers that ran to completion. */
  finished: number;
  /** Transport each handler saw. */
  transports: string[];
}

/** A fresh implementation of {@link testContract} with its probe. */
export function createTestService() {
  let resolveAborted: (reason: unknown) => void = () => undefined;
  const probe: ServiceProbe = {
    aborted: new Promise((resolve) => (resolveAborted = resolve)),
    started: 0,
    finished: 0,
    transports: [],
  };
  const implementation = implementService(testContract, {
    echo: (input, context) => {
      probe.transports.push(context.transport);
      return { text: input.text, n: input.n };
    },
    item: (input) => ({ id: input.id, verbose: input.verbose }),
    search: (input) => ({ q: input.q, limit: input.limit, tags: input.tags ?? null }),
    remove: (input) => ({ deleted: input.id }),
    fail: (input) => {
      throw sampleError(input.code);
    },
    crash: () => {
      throw new Error('boom');
    },
    // Deliberately wrong: the service must refuse to send it.
    badOutput: () => ({ count: 'many' }) as unknown as { count: number },
    slow: async (input, context) => {
      probe.started++;
      context.signal.addEventListener('abort', () => resolveAborted(context.signal.reason), { once: true });
      await sleep(input.ms, context.signal);
      probe.finished++;
      return { slept: input.ms };
    },
    progress: async (input, context) => {
      for (let step = 1; step <= input.steps; step++) {
        context.reportProgress({ step, of: input.steps });
        // Let each frame reach the wire on its own.
        await new Promise((resolve) => setImmediate(resolve));
        if (step === input.failAt) throw new ConflictError(`Step ${step} conflicted`, { details: { step } });
      }
      return { done: true as const, steps: input.steps };
    },
  });
  return { implementation, probe };
}
