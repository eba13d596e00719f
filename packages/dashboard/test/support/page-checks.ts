import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** A rule axe-core found broken, with where. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core (WCAG 2 A and AA rules) in the page, injected from its npm package (no CDN), and
 * answers the violations in a form that reads well in a failed expectation.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
    await page.addScriptTag({ content: await axeSource });
  }
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
  })()`);
}

/**
 * How many pixels of the chart's canvases are painted (neither transparent nor white): more than a
 * few hundred means candles were drawn, not just an empty grid.
 */
export function paintedChartPixels(page: Page, selector = 'figure.chart'): Promise<number> {
  return page.evaluate(`(() => {
    let painted = 0;
    for (const canvas of document.querySelectorAll(${JSON.stringify(selector)} + ' canvas')) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        const white = data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245;
        if (data[i + 3] > 0 && !white) painted++;
      }
    }
    return painted;
  })()`);
}

/**
 * With `KTRDR_SCREENSHOTS=<folder>` (`npm run screenshots -w @ktrdr/dashboard`), saves the page as
 * `<name>.png` there for docs/guides/dashboard.md; otherwise does nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['KTRDR_SCREENSHOTS'];
  if (dir === undefined || dir === '') return;
  await mkdir(dir, { recursive: true });
  // Let the charts finish their frame, and hide the caret, so shots only change with the UI.
  await page.waitForTimeout(300);
  await page.screenshot({
    path: `${dir}/${name}.png`,
    caret: 'hide',
    animations: 'disabled',
    fullPage: true,
  });
}
