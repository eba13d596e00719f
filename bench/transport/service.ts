import { z } from 'zod';
import { defineRoute, defineService, implementService } from '@ktrdr/core';

/** A small request/response pair, shaped like a typical host-service call (a symbol lookup). */
export const benchContract = defineService('bench service', {
  echo: defineRoute({
    method: 'POST',
    path: '/echo',
    input: z.object({ symbol: z.string(), timeframe: z.string(), count: z.number().int() }),
    output: z.object({ symbol: z.string(), timeframe: z.string(), count: z.number().int(), ok: z.boolean() }),
    idempotent: true,
  }),
});

/** The handler does no work: the benchmark measures the transport, not the service. */
export const benchImplementation = implementService(benchContract, {
  echo: (input) => ({ ...input, ok: true }),
});

/** The input every call sends. */
export const benchInput = { symbol: 'AAPL', timeframe: '1h', count: 500 } as const;
