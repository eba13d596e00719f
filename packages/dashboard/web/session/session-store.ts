import type { ApiSession } from '../api/api-client';

const TOKEN_KEY = 'ktrdr.token';
const BASE_KEY = 'ktrdr.apiBase';

/** Where `ktrdr serve api` mounts the API, beside `/dashboard`. */
export const DEFAULT_API_BASE_PATH = '/api/v1';

/** What the server that served the page says about its API (`./server-info.json`). */
export interface ServerInfo {
  api_base_path?: string;
  requires_token?: boolean;
}

/** Reads `./server-info.json`; an app that serves the files without it gets `{}`. */
export async function fetchServerInfo(): Promise<ServerInfo> {
  try {
    const response = await fetch('./server-info.json', { headers: { accept: 'application/json' } });
    return response.ok ? ((await response.json()) as ServerInfo) : {};
  } catch {
    return {};
  }
}

/**
 * The signed-in session, kept in `sessionStorage`: it dies with the tab, and the token never
 * appears in a URL (where history, logs and referrers would keep it).
 */
export function loadSession(
  storage: Storage,
  origin: string,
  apiBasePath = DEFAULT_API_BASE_PATH,
): ApiSession {
  const token = storage.getItem(TOKEN_KEY) ?? undefined;
  return { baseUrl: storage.getItem(BASE_KEY) ?? `${origin}${apiBasePath.replace(/\/+$/, '')}`, token };
}

/** Keeps a session for the rest of the tab's life. */
export function saveSession(storage: Storage, session: ApiSession): void {
  storage.setItem(BASE_KEY, session.baseUrl.replace(/\/+$/, ''));
  if (session.token === undefined || session.token === '') storage.removeItem(TOKEN_KEY);
  else storage.setItem(TOKEN_KEY, session.token);
}

/** Signs out: forgets the token. */
export function clearSession(storage: Storage): void {
  storage.removeItem(TOKEN_KEY);
}
