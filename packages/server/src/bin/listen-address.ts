import { ServiceConfigurationError } from '@ktrdr/core';
import { DEFAULT_BIND_HOST } from '../auth/bind-policy';
import { DEFAULT_PORTS, type ServerKind } from '../server/server-kinds';

/** The variable that sets the interface every server bin binds, unless `--host` is given. */
export const HOST_VARIABLE = 'KTRDR_HOST';

/** The generic port variable (containers, PaaS), read after the server's own one. */
export const GENERIC_PORT_VARIABLE = 'PORT';

/** Each server's own port variable: wins over `PORT`, so one environment can hold all three. */
export const PORT_VARIABLES: Readonly<Record<ServerKind, string>> = Object.freeze({
  api: 'KTRDR_API_PORT',
  'ib-host': 'KTRDR_IB_HOST_PORT',
  'training-host': 'KTRDR_TRAINING_HOST_PORT',
});

/** A bad `--port` or `--host`: a usage error, the bin exits 2 with its message. @internal */
export class ListenAddressError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

/** The first of `names` set to something other than blanks, with its value. */
function firstSet(env: Env, names: readonly string[]): { name: string; raw: string } | undefined {
  for (const name of names) {
    const raw = env[name]?.trim();
    if (raw !== undefined && raw !== '') return { name, raw };
  }
  return undefined;
}

/** The port in `raw`, or undefined when it is not an integer from 0 to 65535. */
function portOf(raw: string): number | undefined {
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(port) && port <= 65_535 ? port : undefined;
}

/**
 * Where a server bin listens: each of host and port from its flag, else the environment, else the
 * default (127.0.0.1, the kind's port). The port variables are the server's own
 * (`KTRDR_API_PORT`...) then `PORT`; the host variable is `KTRDR_HOST` only: a bare `HOST` is
 * exported by some shells (tcsh) as the machine's name, which would move a server off loopback
 * without anyone asking.
 * @throws ListenAddressError for a `--port` that is not 0-65535 or an empty `--host`.
 * @throws ServiceConfigurationError naming the port variable whose value is not 0-65535.
 */
export function resolveListenAddress(
  kind: ServerKind,
  flags: { host?: string; port?: string },
  env: Env = process.env,
): { host: string; port: number } {
  if (flags.host !== undefined && flags.host.trim() === '')
    throw new ListenAddressError('--host needs a value');
  const hostVariable = firstSet(env, [HOST_VARIABLE]);
  const host = flags.host?.trim() ?? hostVariable?.raw ?? DEFAULT_BIND_HOST;
  if (flags.port !== undefined) {
    const port = portOf(flags.port);
    if (port === undefined)
      throw new ListenAddressError(`--port must be an integer from 0 to 65535, got '${flags.port}'`);
    return { host, port };
  }
  const variable = firstSet(env, [PORT_VARIABLES[kind], GENERIC_PORT_VARIABLE]);
  if (variable === undefined) return { host, port: DEFAULT_PORTS[kind] };
  const port = portOf(variable.raw);
  if (port === undefined) {
    throw new ServiceConfigurationError(
      `${variable.name} must be an integer from 0 to 65535, got '${variable.raw}': fix it or pass --port.`,
      { details: { variable: variable.name } },
    );
  }
  return { host, port };
}
