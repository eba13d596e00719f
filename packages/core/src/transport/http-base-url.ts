import { ServiceConfigurationError } from '../errors/index';

/**
 * Checks a service base URL and returns it without trailing slashes. A bad one is a configuration
 * mistake, reported when the transport is built rather than on every call.
 * @internal
 */
export function parseBaseUrl(baseUrl: string, serviceName: string, urlVariable?: string): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  const variable = urlVariable ?? 'baseUrl';
  const details = { variable, value: baseUrl, service: serviceName };
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ServiceConfigurationError(
      `Invalid URL ${JSON.stringify(baseUrl)} for ${serviceName} (${variable}): expected an absolute http:// or https:// URL, e.g. http://localhost:8001.`,
      { details },
    );
  }
  return baseUrl.replace(/\/+$/, '');
}
