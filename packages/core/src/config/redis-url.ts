/** The environment variable that turns queue-backed operations on: the Redis to use. */
export const REDIS_URL_VARIABLE = 'KTRDR_REDIS_URL';

/**
 * The Redis URL from `--redis` (`flag`) or `KTRDR_REDIS_URL`, or undefined when neither is set: then
 * everything runs embedded and in-process, and nothing loads BullMQ or ioredis. Here, in the
 * zod-free configuration, so a bin can tell whether to load `@ktrdr/queue` before it does.
 */
export function resolveRedisUrl(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const value = (flag ?? env[REDIS_URL_VARIABLE])?.trim();
  return value === undefined || value === '' ? undefined : value;
}
