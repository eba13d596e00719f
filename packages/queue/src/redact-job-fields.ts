import type { PathRedactor } from '@ktrdr/core';

/**
 * `value` with every string in it passed through `redact`, at any depth (objects and arrays are
 * copied, other values kept). What a worker writes into a job (progress, metadata, result, failure)
 * is stored in Redis and answered by the API, so it must name no folder of the worker's machine; each
 * string is redacted alone, so no replacement can break the JSON BullMQ writes.
 */
export function redactJobFields<T>(value: T, redact: PathRedactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactJobFields(item, redact)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactJobFields(item, redact)]),
    ) as T;
  }
  return value;
}
