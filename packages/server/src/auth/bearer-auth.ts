import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ServiceConfigurationError, UnauthorizedError, sendError } from '@ktrdr/core';
import type { Interceptor } from '../http/interceptors';

/** The environment variable that holds the bearer token of every ktrdr server. */
export const API_TOKEN_VARIABLE = 'KTRDR_API_TOKEN';

// Hashing first gives both sides the same length, so timingSafeEqual neither throws nor leaks the
// token's length through an early exit.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares two tokens in constant time. */
export function tokensMatch(expected: string, presented: string): boolean {
  return timingSafeEqual(digest(expected), digest(presented));
}

/**
 * Express middleware that lets through only requests carrying `Authorization: Bearer <token>` and
 * answers 401 `{ success: false, error }` (with `WWW-Authenticate: Bearer`) to the rest. Mount it
 * before any route that must be protected; the answer never echoes what was sent.
 * @throws ServiceConfigurationError when `token` is empty.
 */
export function createBearerAuth(token: string): RequestHandler {
  return bearerGuard(token);
}

/** {@link createBearerAuth} on the bare `node:http` exchange, as a server's interceptors run. @internal */
export function bearerGuard(token: string): Interceptor {
  if (token.trim() === '') {
    throw new ServiceConfigurationError(`${API_TOKEN_VARIABLE} is empty: set a non-empty bearer token.`, {
      details: { variable: API_TOKEN_VARIABLE },
    });
  }
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (match !== null && tokensMatch(token, match[1] as string)) return next();
    res.setHeader('www-authenticate', 'Bearer realm="ktrdr"');
    sendError(
      res,
      new UnauthorizedError(
        match === null
          ? `Missing bearer token: send 'Authorization: Bearer <token>' with the server's ${API_TOKEN_VARIABLE}.`
          : `Invalid bearer token: use the server's ${API_TOKEN_VARIABLE}.`,
        { details: { scheme: 'Bearer' } },
      ),
    );
  };
}
