/**
 * The base URL of the backend API's routes. The API serves them under `/api/v1`; a bare server
 * URL (`http://localhost:8000`) gets that prefix, any other path is taken as given.
 */
export function apiBaseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  try {
    const parsed = new URL(trimmed);
    return parsed.pathname === '' || parsed.pathname === '/' ? `${trimmed}/api/v1` : trimmed;
  } catch {
    // Not a URL: the configuration check that follows says so with the accepted form.
    return trimmed;
  }
}
