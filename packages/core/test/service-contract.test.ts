import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  HostServiceError,
  buildRequest,
  createServiceClient,
  defineRoute,
  defineService,
  implementService,
} from '@ktrdr/core';
import { compilePath } from '../src/contract/path-template';

describe('path templates', () => {
  it('matches and decodes parameters, with or without a trailing slash', () => {
    const template = compilePath('/training/status/:session_id');
    expect(template.params).toEqual(['session_id']);
    expect(template.match('/training/status/a%20b')).toEqual({ session_id: 'a b' });
    expect(template.match('/training/status/x/')).toEqual({ session_id: 'x' });
    expect(template.match('/training/status')).toBeUndefined();
    expect(template.match('/training/status/x/y')).toBeUndefined();
    expect(compilePath('/training/status/:session_id')).toBe(template);
  });

  it('escapes literal segments', () => {
    expect(compilePath('/v1.0/data').match('/v1x0/data')).toBeUndefined();
    expect(compilePath('/v1.0/data').match('/v1.0/data')).toEqual({});
  });

  it('fills parameters encoded', () => {
    expect(compilePath('/a/:x/b/:y').fill({ x: 'EUR/USD', y: 3 })).toBe('/a/EUR%2FUSD/b/3');
  });

  it('refuses dot segments, which URL normalisation would turn into another route', () => {
    for (const value of ['.', '..']) {
      expect(() => compilePath('/items/:id').fill({ id: value })).toThrow(
        expect.objectContaining({ code: 'validation', details: { field: 'id' } }),
      );
    }
    expect(compilePath('/items/:id').fill({ id: '...' })).toBe('/items/...');
  });
});

describe('buildRequest', () => {
  const get = defineRoute({
    method: 'GET',
    path: '/bars/:symbol',
    input: z.object({}),
    output: z.object({}),
  });
  const post = defineRoute({
    method: 'POST',
    path: '/bars/:symbol',
    input: z.object({}),
    output: z.object({}),
  });

  it('takes path parameters out and sends the rest as query strings for GET', () => {
    const when = new Date('2024-01-02T00:00:00Z');
    expect(
      buildRequest(get, {
        symbol: 'AAPL',
        start: when,
        limit: 5,
        tags: ['a', 1],
        gone: undefined,
        none: null,
      }),
    ).toEqual({
      method: 'GET',
      path: '/bars/AAPL',
      query: { start: '2024-01-02T00:00:00.000Z', limit: '5', tags: ['a', '1'] },
    });
  });

  it('sends the rest as the JSON body for POST, and copes with no input', () => {
    expect(buildRequest(post, { symbol: 'AAPL', timeframe: '1h' })).toEqual({
      method: 'POST',
      path: '/bars/AAPL',
      body: { timeframe: '1h' },
    });
    expect(buildRequest(post, undefined)).toEqual({ method: 'POST', path: '/bars/', body: {} });
  });
});

describe('typed client', () => {
  const contract = defineService('remote', {
    count: defineRoute({
      method: 'GET',
      path: '/count',
      input: z.object({}),
      output: z.object({ n: z.number() }),
    }),
  });

  it('checks responses that crossed a wire against the contract', async () => {
    const wire = {
      kind: 'http',
      serviceName: 'remote',
      target: 'http://remote',
      counters: () => ({ bytesSent: 0, bytesReceived: 0, attempts: 0, retries: 0 }),
      close: async () => undefined,
      call: async () => ({ n: 'three' }),
    };
    const error = await createServiceClient(contract, wire)
      .count({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostServiceError);
    expect((error as HostServiceError).message).toBe(
      'remote sent a response to count that does not match its contract: n: Invalid input: expected number, received string',
    );
    expect((error as HostServiceError).details).toEqual({
      service: 'remote',
      route: 'count',
      target: 'http://remote',
    });
  });

  it('marks GET calls idempotent and lets a route or the caller say otherwise', async () => {
    const seen: unknown[] = [];
    const spy = {
      kind: 'spy',
      serviceName: 'remote',
      target: 'in-process',
      counters: () => ({ bytesSent: 0, bytesReceived: 0, attempts: 0, retries: 0 }),
      close: async () => undefined,
      call: async (_request: unknown, options: unknown) => {
        seen.push(options);
        return { n: 1 };
      },
    };
    const client = createServiceClient(contract, spy);
    await client.count({});
    await client.count({}, { idempotent: false });
    expect(seen).toEqual([{ idempotent: undefined }, { idempotent: false }]);
  });

  it('freezes the contract it declares', () => {
    expect(Object.isFrozen(contract)).toBe(true);
    expect(Object.isFrozen(contract.routes)).toBe(true);
    expect(implementService(contract, { count: () => ({ n: 1 }) }).hasPath('/count')).toBe(true);
  });
});

describe('isoDateString', () => {
  it('accepts what Date.parse reads and names the problem otherwise', async () => {
    const { isoDateString } = await import('@ktrdr/core');
    expect(isoDateString.safeParse('2024-01-31T00:00:00Z').success).toBe(true);
    const bad = isoDateString.safeParse('31/01/2024');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('must be an ISO 8601 date');
  });
});
