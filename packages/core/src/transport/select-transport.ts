import type { ServiceImplementation } from '../contract/implement-service';
import type { KtrdrConfig } from '../config/config';
import { createHttpTransport } from './http-transport';
import { createInProcessTransport } from './in-process-transport';
import { type Interceptor, withInterceptors } from './interceptor';
import { bearerAuthInterceptor } from './interceptors';
import type { Transport } from './transport';

/** A host service over HTTP: another process or machine. */
export interface HttpTransportChoice {
  kind: 'http';
  url: string;
  /** Bearer token (the deployment's `KTRDR_API_TOKEN`), sent by the bearer auth interceptor. */
  token?: string;
  /** Per-attempt timeout, ms (default: the deadline when there is one, else 30 000). */
  timeoutMs?: number;
  /** Total deadline of one call, retries included, ms (none by default). */
  deadlineMs?: number;
  /** Variable that set `url`, named in connection errors. */
  urlVariable?: string;
  /** Setting that sets `deadlineMs`, named in deadline errors. */
  deadlineVariable?: string;
  /** Most sockets kept open to the service (default 16). */
  connections?: number;
}

/** The service's routes run in this process, over the same contract as HTTP. */
export interface InProcessTransportChoice {
  kind: 'in-process';
  implementation: ServiceImplementation;
  /** Reported as the transport's kind (default `in-process`; `ib` over the direct IB connection). */
  transportKind?: string;
}

/** Which host service a configuration-driven choice reads its settings from. */
export type HostServiceName = 'ib' | 'training';

/**
 * Whatever the configuration says for `service`: HTTP to its host service when
 * `USE_IB_HOST_SERVICE` / `USE_TRAINING_HOST_SERVICE` is true (with `token`), in-process otherwise.
 */
export interface ConfigTransportChoice {
  kind: 'config';
  config: KtrdrConfig;
  service: HostServiceName;
  /** Bearer token for the host service. */
  token?: string;
  /** Builds the in-process implementation; called only when the configuration says in-process. */
  inProcess: () => ServiceImplementation;
  /** Kind reported by the in-process transport (e.g. `ib`). */
  transportKind?: string;
  /** Most sockets kept open to the host service, over HTTP. */
  connections?: number;
}

/** How an adapter reaches its service: explicitly, from the configuration, or any transport. */
export type TransportChoice =
  | HttpTransportChoice
  | InProcessTransportChoice
  | ConfigTransportChoice
  | { kind: 'transport'; transport: Transport };

/** Each host service's settings in the configuration, and the variables errors name. */
function hostServiceSettings(config: KtrdrConfig, service: HostServiceName) {
  return service === 'ib'
    ? {
        useHostService: config.ib.useHostService,
        url: config.ib.hostServiceUrl,
        urlVariable: 'IB_HOST_SERVICE_URL',
        deadlineMs: config.ib.hostServiceTimeoutMs,
        deadlineVariable: 'IB_HOST_SERVICE_TIMEOUT',
      }
    : {
        useHostService: config.training.useHostService,
        url: config.training.hostServiceUrl,
        urlVariable: 'TRAINING_HOST_SERVICE_URL',
        deadlineMs: undefined,
        deadlineVariable: undefined,
      };
}

/**
 * Resolves a `config` choice to the explicit one it stands for (http or in-process); other choices
 * are returned as they are. Adapters call it to know, before any call, which way theirs goes.
 */
export function resolveTransportChoice(
  choice: TransportChoice,
): Exclude<TransportChoice, ConfigTransportChoice> {
  if (choice.kind !== 'config') return choice;
  const settings = hostServiceSettings(choice.config, choice.service);
  if (!settings.useHostService) {
    return { kind: 'in-process', implementation: choice.inProcess(), transportKind: choice.transportKind };
  }
  return {
    kind: 'http',
    url: settings.url,
    token: choice.token,
    urlVariable: settings.urlVariable,
    deadlineMs: settings.deadlineMs,
    deadlineVariable: settings.deadlineVariable,
    connections: choice.connections,
  };
}

/**
 * The one transport selector: every adapter (data, training) builds its transport here, from an
 * explicit choice or from the configuration plus a token, with `interceptors` around it (first is
 * outermost). Over HTTP the token travels through the bearer auth interceptor.
 */
export function selectTransport(
  serviceName: string,
  choice: TransportChoice,
  interceptors: readonly Interceptor[] = [],
): Transport {
  const resolved = resolveTransportChoice(choice);
  let transport: Transport;
  let chain = interceptors;
  switch (resolved.kind) {
    case 'http':
      // The token's interceptor joins the adapter's chain (innermost) rather than wrapping the
      // transport on its own: one chain per call.
      if (resolved.token !== undefined) chain = [...interceptors, bearerAuthInterceptor(resolved.token)];
      transport = createHttpTransport({
        baseUrl: resolved.url,
        serviceName,
        urlVariable: resolved.urlVariable,
        timeoutMs: resolved.timeoutMs ?? resolved.deadlineMs,
        deadlineMs: resolved.deadlineMs,
        deadlineVariable: resolved.deadlineVariable,
        connections: resolved.connections,
      });
      break;
    case 'in-process':
      transport = createInProcessTransport(resolved.implementation, { kind: resolved.transportKind });
      break;
    case 'transport':
      transport = resolved.transport;
      break;
  }
  return withInterceptors(transport, chain);
}
