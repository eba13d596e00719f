/** What `GET /dashboard/server-info.json` answers. */
export interface FoundDashboard {
  requiresToken: boolean;
}

/**
 * Asks the server at `origin` for its dashboard: the answer when a ktrdr API serving one is there,
 * `undefined` when nothing answers or what answers is not one.
 */
export async function findDashboard(origin: string, timeoutMs = 1500): Promise<FoundDashboard | undefined> {
  try {
    const response = await fetch(`${origin}/dashboard/server-info.json`, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { api_base_path?: unknown; requires_token?: unknown };
    if (typeof body.api_base_path !== 'string') return undefined;
    return { requiresToken: body.requires_token === true };
  } catch {
    return undefined;
  }
}
