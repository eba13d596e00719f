import type { RequestHandler } from 'express';
import { type HealthStatus, type OperationRegistry, sendJson, toKtrdrError } from '@ktrdr/core';

/** Something whose health the API reports (the data path, the training path). */
export interface HealthCheckable {
  healthCheck(): Promise<HealthStatus>;
}

/** Options of {@link healthRoute}. */
export interface HealthRouteOptions {
  /** Components by name, e.g. `{ data, training }`. */
  components: Record<string, HealthCheckable | undefined>;
  operations: OperationRegistry;
  /** Longest wait for one component, ms (default 5 s): a wedged gateway must not hang `/health`. */
  timeoutMs?: number;
  /** Jobs per state on each queue, shown as `queues` (only with `KTRDR_REDIS_URL`). */
  queueDepths?: () => Promise<Record<string, Record<string, number>>>;
}

async function checkWithin(component: HealthCheckable, timeoutMs: number): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([component.healthCheck(), timeout]);
  } catch (error) {
    return { healthy: false, error: toKtrdrError(error, 'Health check failed').toJSON() };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /health`: the API's own health plus each component's, checked in parallel with a bound. It
 * answers 200 whenever the API serves (stored data stays readable without a gateway); `healthy` and
 * `status` (`ok` or `degraded`) say whether every component is healthy too.
 */
export function healthRoute(options: HealthRouteOptions): RequestHandler {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return async (_req, res) => {
    const entries = Object.entries(options.components).filter(
      (entry): entry is [string, HealthCheckable] => entry[1] !== undefined,
    );
    const [results, queues] = await Promise.all([
      Promise.all(entries.map(([, component]) => checkWithin(component, timeoutMs))),
      options.queueDepths?.().catch((error: unknown) => ({
        error: toKtrdrError(error, 'Queue depths unavailable').toJSON(),
      })),
    ]);
    const components = Object.fromEntries(entries.map(([name], i) => [name, results[i]]));
    const healthy = results.every((result) => result['healthy'] === true);
    sendJson(res, 200, {
      healthy,
      status: healthy ? 'ok' : 'degraded',
      service: 'ktrdr API',
      timestamp: new Date().toISOString(),
      operations: { running: options.operations.list({ status: 'running' }).length },
      ...(queues === undefined ? {} : { queues }),
      components,
    });
  };
}
