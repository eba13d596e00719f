import { isIP } from 'node:net';
import { ServiceConfigurationError } from '@ktrdr/core';
import { API_TOKEN_VARIABLE } from './bearer-auth';

/** The interface servers bind unless told otherwise: reachable from this machine only. */
export const DEFAULT_BIND_HOST = '127.0.0.1';

/** True when `host` only accepts connections from this machine (`localhost`, 127.0.0.0/8, `::1`). */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (bare === 'localhost') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return isIP(bare) === 6 && (bare === '::1' || bare === '0:0:0:0:0:0:0:1');
}

/**
 * The bearer token a server bound to `host` must demand: the explicit one, else
 * `KTRDR_API_TOKEN`, else none. A server reachable from other machines without a token would let
 * anyone drive the IB connection, so binding a non-loopback host without one is refused.
 * @throws ServiceConfigurationError naming KTRDR_API_TOKEN when `host` is not loopback and no token is set.
 */
export function resolveServerToken(
  host: string,
  token: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const candidate = token ?? env[API_TOKEN_VARIABLE];
  const resolved = candidate === undefined || candidate.trim() === '' ? undefined : candidate.trim();
  if (resolved === undefined && !isLoopbackHost(host)) {
    throw new ServiceConfigurationError(
      `Refusing to listen on ${host} without a bearer token: set ${API_TOKEN_VARIABLE} (every request must ` +
        `then send 'Authorization: Bearer <token>'), or bind ${DEFAULT_BIND_HOST}.`,
      { details: { variable: API_TOKEN_VARIABLE, host } },
    );
  }
  return resolved;
}
