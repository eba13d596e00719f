/**
 * The dashboard's two targets (issue #15), measured in headless Chromium against a real API:
 *
 * - initial JavaScript, gzipped: every script `index.html` loads before the first paint (entry
 *   and module preloads), compressed as a server would (gzip level 6); target <= 150 KB;
 * - first chart on screen for 10,000 bars: from navigation start (`performance.now()` origin) to the
 *   frame after the Data page drew 10,000 hourly bars read as CSV (`#/data/BENCH/1h?bars=10000`,
 *   a fresh browser context per run, so HTTP caches start cold); target <= 1 s. Median of runs.
 *
 *   npx tsx bench/dashboard/run.ts [--runs 7]
 *
 * It builds the dashboard first when its build is stale (as the browser tests do).
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '@ktrdr/core';
import { BarFrame, DataService } from '@ktrdr/data';
import { startServer } from '@ktrdr/server';
import { launchChromium } from '../../packages/dashboard/test/support/browser';
import { ensureAppBuilt } from '../../packages/dashboard/test/support/ensure-app-built';
import { paintedChartPixels } from '../../packages/dashboard/test/support/page-checks';

const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex >= 0 ? Math.max(3, Number(process.argv[runsIndex + 1]) || 7) : 7;
const BARS = 10_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Gzipped bytes of every script the page loads up front. */
async function initialScripts(appDir: string) {
  const html = await readFile(join(appDir, 'index.html'), 'utf8');
  const srcs = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/([^"]+\.js)"/g),
  ].map((m) => m[1] as string);
  let raw = 0;
  let gzipped = 0;
  for (const src of srcs) {
    const bytes = await readFile(join(appDir, src));
    raw += bytes.length;
    gzipped += gzipSync(bytes, { level: 6 }).length;
  }
  return { files: srcs, raw, gzipped };
}

/** 10,000 weekday hourly bars of a random walk (seeded), SIMULATED. */
function syntheticBars(count: number): BarFrame {
  const rows = [];
  let price = 100;
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let time = Date.UTC(2022, 0, 3, 14);
  while (rows.length < count) {
    const day = new Date(time).getUTCDay();
    const hour = new Date(time).getUTCHours();
    if (day !== 0 && day !== 6 && hour >= 14 && hour < 21) {
      const open = price;
      price = Math.max(1, price * (1 + (random() - 0.5) * 0.01));
      rows.push({
        time,
        open,
        high: Math.max(open, price) * 1.002,
        low: Math.min(open, price) * 0.998,
        close: price,
        volume: Math.round(1000 + random() * 9000),
      });
    }
    time += 3_600_000;
  }
  return BarFrame.fromRows(rows);
}

const appDir = await ensureAppBuilt();
const scripts = await initialScripts(appDir);
const dir = await mkdtemp(join(tmpdir(), 'ktrdr-bench-dashboard-'));
const data = new DataService({ config: loadConfig({ dataDir: dir }, {}) });
await data.store.save('BENCH', '1h', syntheticBars(BARS), { simulated: true });
const api = await startServer({ kind: 'api', port: 0, data, env: {} });
const csv = await (await fetch(`${api.url}/data/BENCH/1h?format=csv&limit=${BARS}`)).arrayBuffer();
const browser = await launchChromium();
const times: number[] = [];
const breakdown: {
  js: number;
  csvStart: number;
  csvEnd: number;
  received: number;
  parsed: number;
  start: number;
  created: number;
}[] = [];
try {
  for (let i = 0; i < runs + 1; i++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${api.origin}/dashboard/#/data/BENCH/1h?bars=${BARS}`);
    await page.waitForSelector(`figure.chart[data-bars="${BARS}"] canvas`, { timeout: 30_000 });
    // The frame after the data arrived: lightweight-charts paints on animation frames.
    // The app marks the frame after lightweight-charts painted (timed in the page, not over CDP).
    await page.waitForFunction('performance.getEntriesByName("ktrdr:chart-painted").length > 0');
    const ms = await page.evaluate('performance.getEntriesByName("ktrdr:chart-painted")[0].startTime');
    const phases = (await page.evaluate(`(() => {
      const at = (re) => performance.getEntriesByType('resource').find((e) => re.test(e.name));
      const js = at(/assets\\/index-.*\\.js$/);
      const csv = at(/format=csv/);
      const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
      return { js: js && js.responseEnd, csvStart: csv && csv.startTime, csvEnd: csv && csv.responseEnd,
        received: mark('ktrdr:bars-received'), parsed: mark('ktrdr:bars-parsed'), start: mark('ktrdr:chart-start'), created: mark('ktrdr:chart-created') };
    })()`)) as {
      js: number;
      csvStart: number;
      csvEnd: number;
      received: number;
      parsed: number;
      start: number;
      created: number;
    };
    if (i > 0) breakdown.push(phases);
    if ((await paintedChartPixels(page)) < 1000) throw new Error('The chart is empty: nothing to time.');
    // The first run warms the browser process (not the page's caches): left out of the median.
    if (i > 0) times.push(ms as number);
    await context.close();
  }
} finally {
  await browser.close();
  await api.close();
  await rm(dir, { recursive: true, force: true });
}

const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `initial JS: ${scripts.files.join(', ')}: ${kb(scripts.raw)} raw, ${kb(scripts.gzipped)} gzipped (target <= 150 KB)`,
);
console.log(
  `bars CSV for ${BARS.toLocaleString()} bars: ${kb(csv.byteLength)} raw, ${kb(gzipSync(Buffer.from(csv)).length)} gzipped`,
);
console.log(`load average (1, 5, 15 min) at the end: ${load}`);
console.log(
  `first chart on screen, ${BARS.toLocaleString()} bars (${runs} runs): ${times.map((t) => t.toFixed(0)).join(' | ')} ms`,
);
console.log(`median ${median(times).toFixed(0)} ms (target <= 1000 ms)`);
const phase = (pick: (b: (typeof breakdown)[number]) => number) => median(breakdown.map(pick)).toFixed(0);
console.log(
  `median phases: script loaded ${phase((b) => b.js)} ms, bars requested ${phase((b) => b.csvStart)} ms, bars received ${phase((b) => b.csvEnd)} ms, text ${phase((b) => b.received)} ms, parsed ${phase((b) => b.parsed)} ms, chart start ${phase((b) => b.start)} ms, created ${phase((b) => b.created)} ms, chart drawn ${median(times).toFixed(0)} ms`,
);
