import { ServiceConfigurationError } from '../errors/index';

/**
 * Ports fetch refuses to connect to, whatever listens there (the Fetch standard's "bad ports":
 * https://fetch.spec.whatwg.org/#port-blocking). A call to one fails before any connection.
 */
const BLOCKED_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

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
  if (url.port !== '' && BLOCKED_PORTS.has(Number(url.port))) {
    throw new ServiceConfigurationError(
      `Invalid URL ${JSON.stringify(baseUrl)} for ${serviceName} (${variable}): port ${url.port} is one that fetch refuses to connect to (a "bad port" of the Fetch standard). Serve ${serviceName} on another port, e.g. 8001.`,
      { details },
    );
  }
  return baseUrl.replace(/\/+$/, '');
}
