import { ensureAppBuilt } from './ensure-app-built';

/**
 * Vitest global setup: builds the dashboard once before any test file runs. The server and CLI
 * tests serve `/dashboard` too; a fresh clone has no build, and a build made while they run would
 * swap dist/app under them.
 */
export default async function setup(): Promise<void> {
  await ensureAppBuilt();
}
