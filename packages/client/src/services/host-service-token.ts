/** The variable holding the bearer token of a deployment: the API's, and the host services' it calls. */
export const API_TOKEN_VARIABLE = 'KTRDR_API_TOKEN';

/**
 * The token to send: the explicit one, else `KTRDR_API_TOKEN`; blank counts as unset.
 * @internal
 */
export function tokenFrom(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const token = explicit ?? env[API_TOKEN_VARIABLE];
  return token === undefined || token.trim() === '' ? undefined : token.trim();
}
