import { describe, expect, it } from 'vitest';
import { REDIS_URL_VARIABLE, resolveRedisUrl } from '@ktrdr/core/config';

describe('resolveRedisUrl', () => {
  it('takes --redis over KTRDR_REDIS_URL, trimmed; blank or unset is no Redis', () => {
    expect(REDIS_URL_VARIABLE).toBe('KTRDR_REDIS_URL');
    const env = { KTRDR_REDIS_URL: ' redis://env:6379 ' };
    expect(resolveRedisUrl('redis://flag:6379', env)).toBe('redis://flag:6379');
    expect(resolveRedisUrl(undefined, env)).toBe('redis://env:6379');
    expect(resolveRedisUrl(undefined, {})).toBeUndefined();
    expect(resolveRedisUrl(' ', env)).toBeUndefined();
  });
});
