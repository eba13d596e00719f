import type { ConnectionOptions } from 'bullmq';
import { REDIS_URL_VARIABLE, ServiceConfigurationError } from '@ktrdr/core';

/**
 * ioredis options for a Redis URL: `redis://[user:password@]host[:port][/db]`, `rediss://...` (TLS),
 * or `unix:///path/to/redis.sock` (`redis+socket://` too). `maxRetriesPerRequest: null` is what
 * BullMQ workers require: a command waits for Redis to come back instead of failing.
 */
export function redisConnectionOptions(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ServiceConfigurationError(
      `${REDIS_URL_VARIABLE} is not a URL: use redis://host:6379 or unix:///path/redis.sock`,
    );
  }
  const common = { maxRetriesPerRequest: null, lazyConnect: false } as const;
  if (parsed.protocol === 'unix:' || parsed.protocol === 'redis+socket:') {
    return { ...common, path: decodeURIComponent(parsed.pathname) };
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ServiceConfigurationError(
      `${REDIS_URL_VARIABLE} has protocol ${parsed.protocol}: use redis://, rediss:// or unix://`,
    );
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new ServiceConfigurationError(
      `${REDIS_URL_VARIABLE}: the database must be a number, got ${parsed.pathname}`,
    );
  }
  return {
    ...common,
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db,
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

// An absolute path in an error message (`connect ENOENT /run/redis/redis.sock`, a Windows
// `C:\\...`): from the start, a space, a quote or a bracket to the next space, quote or bracket.
const ABSOLUTE_PATH = /(?<=^|[\s'"([=])(?:unix:\/\/)?(?:\/|[A-Za-z]:\\)[^\s'")\],;]*/g;

/**
 * `message` with each absolute path shown as `<path>`: a unix socket's path is a machine's folder,
 * which no log line shows (as the server's `createPathRedactor` does for its answers and logs).
 */
export function redactRedisError(message: string): string {
  return message.replace(ABSOLUTE_PATH, '<path>');
}

/**
 * An error listener for Redis connections that writes each distinct message once to stderr, with
 * no absolute path ({@link redactRedisError}): while Redis is down the connections retry on their
 * own, and one line says so without flooding the log.
 */
export function logConnectionErrors(who: string): (error: Error) => void {
  let last = '';
  return (error) => {
    if (error.message === last) return;
    last = error.message;
    process.stderr.write(`${who}: Redis connection: ${redactRedisError(error.message)} (retrying)\n`);
  };
}
