import { CancelledError, ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { abortError, backoffDelay } from '../../src/ib/backoff';
import { resolveEndpoint } from '../../src/ib/ib-config';
import { TtlCache } from '../../src/ib/ttl-cache';
import { FakeClock } from './fake-clock';

describe('resolveEndpoint', () => {
  it("fills in the Python system's defaults", () => {
    expect(resolveEndpoint({})).toEqual({ host: '127.0.0.1', port: 4002, clientId: 1 });
  });

  it.each([[{ host: ' ' }], [{ port: 0 }], [{ port: 1.5 }], [{ clientId: -2 }]])('rejects %j', (options) => {
    expect(() => resolveEndpoint(options)).toThrow(ValidationError);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap and takes jitter off the top', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, options, () => 0))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
    expect(backoffDelay(2, options, () => 1)).toBe(100);
  });
});

describe('abortError', () => {
  it('passes a ktrdr reason through and wraps anything else in CancelledError', () => {
    const reason = new ValidationError('bad');
    expect(abortError(AbortSignal.abort(reason), 'x')).toBe(reason);
    const wrapped = abortError(AbortSignal.abort(), 'Fetching bars');
    expect(wrapped).toBeInstanceOf(CancelledError);
    expect(wrapped.message).toMatch(/Fetching bars cancelled/);
  });
});

describe('TtlCache', () => {
  it('expires entries and does not cache failures', async () => {
    const clock = new FakeClock();
    const cache = new TtlCache<number>(1_000, clock);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    expect(await cache.getOrLoad('k', load)).toBe(1);
    await clock.advance(1_000);
    expect(await cache.getOrLoad('k', load)).toBe(2);
    await expect(cache.getOrLoad('bad', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cache.getOrLoad('bad', load)).toBe(3);
    cache.clear();
    expect(cache.get('k')).toBeUndefined();
  });
});
