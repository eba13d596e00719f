import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../src/store/keyed-mutex';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  it('runs calls on one key one at a time, in call order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let inside = 0;
    const task = (name: string) => async () => {
      inside++;
      expect(inside).toBe(1);
      log.push(`${name}:start`);
      await tick();
      await tick();
      log.push(`${name}:end`);
      inside--;
      return name;
    };
    const results = await Promise.all([
      mutex.run('k', task('a')),
      mutex.run('k', task('b')),
      mutex.run('k', task('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(mutex.isLocked('k')).toBe(false);
  });

  it('lets different keys run in parallel', async () => {
    const mutex = new KeyedMutex();
    let release = (): void => {};
    const blocker = mutex.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    await tick();
    expect(await mutex.run('b', () => 'b ran')).toBe('b ran');
    expect(mutex.isLocked('a')).toBe(true);
    release();
    await blocker;
  });

  it('passes a failure to its caller without blocking the next holder', async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run('k', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('k', () => 'next');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });
});
