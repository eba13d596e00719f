import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `ktrdr serve api` serves the dashboard: `http://127.0.0.1:8000/dashboard/`. */
export const DASHBOARD_PATH = '/dashboard';

/**
 * The folder of the built dashboard (`index.html` and its hashed assets): static files, no token
 * needed to fetch them; every API call they make carries the token. In the published package it is
 * `dist/app` beside this module; from the sources (tests, `tsx`), the package's `dist/app`.
 */
export function dashboardAssetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'app');
  return existsSync(built) ? built : join(here, '..', 'dist', 'app');
}

/** True when `dir` (default {@link dashboardAssetsDir}) holds a built dashboard. */
export function isDashboardBuilt(dir: string = dashboardAssetsDir()): boolean {
  return existsSync(join(dir, 'index.html'));
}
