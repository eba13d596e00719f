import { existsSync } from 'node:fs';
import { type Browser, type Page, chromium } from 'playwright-core';

/** The Chromium the browser tests drive: `KTRDR_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['KTRDR_CHROMIUM'] || '/usr/bin/chromium';
}

/**
 * Launches headless Chromium. A missing binary fails loudly (never a skip): `npm run test:unit` runs
 * scripts/ensure-chromium.mjs first, which installs it.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: run node scripts/ensure-chromium.mjs (apt-get install chromium) or set KTRDR_CHROMIUM.`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    // Root in containers has no user namespace for the sandbox; the pages are our own.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** A page that records every console error and uncaught exception, for the "no console errors" checks. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  // bypassCSP lets the checks inject axe-core's source; the app itself runs under the server's CSP
  // (which the API test checks), and would log any violation of it as a console error.
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  return { page, errors };
}
