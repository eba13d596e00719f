import type { Router } from 'express';
import { type IbLogger, fieldsFirstLogger } from '@ktrdr/data';
import {
  createApiServices,
  createIbSourceFromConfig,
  createTrainingHostServices,
} from '@ktrdr/client/services';
import { createApiRouter } from '../routers/api-router';
import { createIbHostRouter } from '../routers/ib-host-router';
import { createTrainingHostRouter } from '../routers/training-host-router';
import { DEFAULT_API_BASE_PATH } from './server-kinds';
import type { StartServerOptions } from './start-server-options';

/** A server's router and the lifecycle of the services behind it. @internal */
export interface MountedServer {
  router: Router;
  /** Path the router is mounted at. */
  basePath: string;
  /** First shutdown step, while connections drain: stop long-running work. */
  stopWork(): Promise<void>;
  /** Last shutdown step: close connections to IB and host services. */
  closeServices(): Promise<void>;
}

/** Builds the router of one server kind over the given services, or over defaults from the configuration. @internal */
export function mountKind(options: StartServerOptions): MountedServer {
  const limits = { bodyLimitBytes: options.bodyLimitBytes };
  const ibLogger: IbLogger | undefined =
    options.logger === undefined ? undefined : fieldsFirstLogger(options.logger.child({ component: 'ib' }));
  switch (options.kind) {
    case 'api': {
      const services =
        options.data === undefined
          ? createApiServices({
              config: options.config,
              operations: options.operations,
              hostServiceToken: options.hostServiceToken,
              logger: ibLogger,
            })
          : {
              data: options.data,
              operations: options.operations ?? options.data.operations,
              training: options.training,
              // The router builds one over `data` when training is served.
              backtests: undefined,
            };
      const router = createApiRouter({
        ...limits,
        data: services.data,
        operations: services.operations,
        training: services.training,
        backtests: services.backtests,
        strategiesDir: options.strategiesDir,
        healthTimeoutMs: options.healthTimeoutMs,
        eventsHeartbeatMs: options.eventsHeartbeatMs,
        queue: options.queue,
      });
      return {
        router,
        basePath: options.basePath ?? DEFAULT_API_BASE_PATH,
        stopWork: () => services.operations.cancelAll('Server shutting down'),
        closeServices: async () => {
          // Queued operations run on workers: the API only disconnects from Redis, they go on.
          await Promise.allSettled([
            services.data.close(),
            services.training?.close(),
            services.backtests?.close(),
            options.queue?.close(),
          ]);
        },
      };
    }
    case 'ib-host': {
      const source = options.source ?? createIbSourceFromConfig(options.config, { logger: ibLogger });
      return {
        router: createIbHostRouter({ ...limits, source }),
        basePath: options.basePath ?? '/',
        // The host's work is the requests themselves: they finish (or are aborted) while connections drain.
        stopWork: () => Promise.resolve(),
        closeServices: () => source.close(),
      };
    }
    case 'training-host': {
      const given = options.sessions;
      const services =
        given === undefined
          ? createTrainingHostServices({ config: options.config, data: options.data })
          : { sessions: given, data: options.data, close: () => given.close() };
      // The configuration only tells the router which folders its answers must not reveal.
      const config = options.config ?? services.data?.config;
      return {
        router: createTrainingHostRouter({
          ...limits,
          sessions: services.sessions,
          data: services.data,
          config,
        }),
        basePath: options.basePath ?? '/',
        // Running sessions stop at their next batch, so status polls see them `stopped`.
        stopWork: () => services.close(),
        closeServices: () => Promise.resolve(),
      };
    }
  }
}
