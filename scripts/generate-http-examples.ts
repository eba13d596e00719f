/**
 * Produces the request and response examples of docs/reference/http-api.md from real calls: it
 * starts the IB simulator, the IB host service, the training host service and the backend API (the
 * split deployment, every server on 127.0.0.1 and an ephemeral port, temporary data and models
 * folders), calls every route with fetch, and writes each exchange between the doc's
 * `<!-- example: NAME -->` and `<!-- /example -->` markers. Long arrays are cut to two items and a
 * `"… N more"` note, long strings end in `…`; ephemeral ports are shown as the default ports (the
 * servers already show their folders as `<data dir>`, `<models dir>`; a temporary folder that still
 * got through would read `/srv/ktrdr/...`).
 *
 * Run from the repository root (no build needed):
 *   npx tsx scripts/generate-http-examples.ts            rewrites the examples in the doc
 *   npx tsx scripts/generate-http-examples.ts --stdout   prints them instead
 *
 * A marker without an example, an example without a marker, or a status other than the one the
 * doc promises fails the run, so the doc and the servers cannot drift apart silently.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { loadConfig } from '@ktrdr/core';
import { DataService, createIbDataSource } from '@ktrdr/data';
import { startIbSimulator } from '@ktrdr/ib-sim';
// A generator that runs the servers, like the examples do: the one place in scripts/ that imports them.
import { type RunningServer, startServer } from '@ktrdr/server';
import { TrainingService, sampleStrategyPath } from '@ktrdr/training';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docPath = path.join(root, 'docs/reference/http-api.md');

/** The simulated market's clock: a Friday after the close, so every example is reproducible. */
const SIM_NOW = '2024-06-28T20:30:00Z';
/** Loads end here: the manager clamps to the real clock, the simulated market has nothing later. */
const SIM_END = '2024-06-29T00:00:00Z';
const TOKEN = 'change-me';

type Base = 'ib' | 'training' | 'api' | 'secured';
const SHOWN_ORIGIN: Record<Base, string> = {
  ib: 'http://127.0.0.1:8001',
  training: 'http://127.0.0.1:8002',
  api: 'http://127.0.0.1:8000',
  secured: 'http://127.0.0.1:8000',
};

interface Call {
  base: Base;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with query, relative to the server's origin (`/api/v1/...` for the API). */
  path: string;
  /** A JSON body (objects are sent as JSON). */
  body?: unknown;
  /** A raw body, sent as is (for malformed and oversized bodies). */
  rawBody?: string;
  /** What the curl line shows instead of a long raw body. */
  rawBodyShown?: string;
  headers?: Record<string, string>;
}

interface Shown {
  /** Status the doc promises; anything else fails the run. */
  status: number;
  /** How the body is shown: JSON (default), plain text, server-sent events or NDJSON. */
  as?: 'json' | 'text' | 'sse' | 'ndjson';
  /** Response headers worth showing. */
  headers?: string[];
  /** Keys whose values are shown as `"…"` (repeated detail that another example shows). */
  collapse?: string[];
}

const examples = new Map<string, string>();
const origins: Partial<Record<Base, string>> = {};
const replacements: [string, string][] = [];

const isPrimitive = (value: unknown) => value === null || typeof value !== 'object';

/**
 * Cuts long arrays and strings so an example shows the shape, not the volume: arrays of more than
 * three objects (or more than twelve values) keep two items and a note, strings over 160 characters
 * keep 100. Keys in `collapse` show `"…"` instead of their value.
 */
function trim(value: unknown, collapse: readonly string[] = []): unknown {
  if (Array.isArray(value)) {
    const short = value.every(isPrimitive) ? value.length <= 12 : value.length <= 3;
    const items = (short ? value : value.slice(0, 2)).map((item) => trim(item, collapse));
    return short ? items : [...items, `… ${value.length - 2} more`];
  }
  if (typeof value === 'string') return value.length > 160 ? `${value.slice(0, 100)}…` : value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, collapse.includes(key) ? '…' : trim(item, collapse)]),
    );
  }
  return value;
}

/** Ephemeral ports and temporary folders as a reader's deployment would show them. */
function publish(text: string): string {
  let out = text;
  for (const [from, to] of replacements) out = out.split(from).join(to);
  return out;
}

function curlLine(call: Call, shown: Shown): string {
  const url = `${SHOWN_ORIGIN[call.base]}${call.path}`;
  const parts = ['curl -s'];
  if (shown.as === 'sse' || shown.as === 'ndjson') parts[0] = 'curl -sN';
  if (call.method !== 'GET') parts.push(`-X ${call.method}`);
  parts.push(url.includes('?') || url.includes('&') ? `'${url}'` : url);
  const lines = [parts.join(' ')];
  for (const [name, value] of Object.entries(call.headers ?? {})) lines.push(`-H '${name}: ${value}'`);
  if (call.body !== undefined || call.rawBody !== undefined)
    lines.push(`-H 'content-type: application/json'`);
  if (call.rawBody !== undefined) lines.push(`-d '${call.rawBodyShown ?? call.rawBody}'`);
  let heredoc: string | undefined;
  if (call.body !== undefined) {
    const compact = JSON.stringify(trim(call.body));
    if (compact.length <= 100) lines.push(`-d '${compact}'`);
    else {
      lines.push(`-d @- <<'EOF'`);
      heredoc = `${JSON.stringify(trim(call.body), null, 2)}\nEOF`;
    }
  }
  return `${lines.join(' \\\n  ')}${heredoc === undefined ? '' : `\n${heredoc}`}`;
}

function renderSse(text: string): string {
  const events = text.split('\n\n').filter((block) => block.trim() !== '');
  const progress = events.filter((block) => block.includes('event: progress'));
  const kept = events.filter((block) => !block.includes('event: progress') || progress.indexOf(block) < 2);
  const hidden = progress.length - Math.min(progress.length, 2);
  // The hidden events sit after the second progress event; an SSE comment line says so.
  const second = kept.findIndex(
    (block, i) => i > 0 && block.includes('event: progress') && progress.indexOf(block) === 1,
  );
  if (hidden > 0) kept.splice(second + 1, 0, `: … ${hidden} more progress events`);
  return kept.join('\n\n');
}

function renderNdjson(text: string): string {
  const frames = text.split('\n').filter((line) => line.trim() !== '');
  const progress = frames.filter((line) => line.startsWith('{"type":"progress"'));
  const final = frames.filter((line) => !line.startsWith('{"type":"progress"'));
  const shown = progress.slice(0, 2);
  if (progress.length > 2) shown.push(`… ${progress.length - 2} more progress frames`);
  return [...shown, ...final].join('\n');
}

/** Calls a route, checks the status, records the exchange under `name` and returns the parsed body. */
async function example(name: string, call: Call, shown: Shown): Promise<unknown> {
  const origin = origins[call.base];
  if (origin === undefined) throw new Error(`No server for ${call.base}`);
  const headers: Record<string, string> = { ...call.headers };
  let body: string | undefined;
  if (call.rawBody !== undefined) body = call.rawBody;
  else if (call.body !== undefined) body = JSON.stringify(call.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${origin}${call.path}`, { method: call.method, headers, body });
  const text = await response.text();
  if (response.status !== shown.status) {
    throw new Error(`${name}: expected ${shown.status}, got ${response.status}: ${text.slice(0, 500)}`);
  }
  const as = shown.as ?? 'json';
  let parsed: unknown = undefined;
  let rendered: string;
  if (as === 'json') {
    parsed = JSON.parse(text) as unknown;
    rendered = JSON.stringify(trim(parsed, shown.collapse), null, 2);
  } else if (as === 'sse') rendered = renderSse(text);
  else if (as === 'ndjson') rendered = renderNdjson(text);
  else rendered = text.trimEnd();
  const headerText = (shown.headers ?? [])
    .map((header) => `\`${header}: ${response.headers.get(header) ?? ''}\``)
    .join(', ');
  const statusLine = `${response.status} ${response.statusText}`;
  examples.set(
    name,
    publish(
      [
        '```sh',
        curlLine(call, shown),
        '```',
        '',
        `→ \`${statusLine}\`${headerText === '' ? '' : ` ${headerText}`}`,
        '',
        `\`\`\`${as === 'json' ? 'json' : 'text'}`,
        rendered,
        '```',
      ].join('\n'),
    ),
  );
  return parsed;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(url)).json()) as Record<string, unknown>;
}

function operationIdOf(body: unknown): string {
  return (body as { operation_id: string }).operation_id;
}

async function main(): Promise<void> {
  const toStdout = process.argv.includes('--stdout');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ktrdr-docs-data-'));
  const modelsDir = await mkdtemp(path.join(tmpdir(), 'ktrdr-docs-models-'));
  replacements.push([dataDir, '/srv/ktrdr/data'], [modelsDir, '/srv/ktrdr/models']);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    // The simulator answers 1-minute bars slowly, so the cancellation examples meet running loads.
    const sim = await startIbSimulator({
      port: 0,
      seed: 1,
      now: () => new Date(SIM_NOW),
      latencyMs: (request) => (request.kind === 'historical-data' && request.barSize === '1 min' ? 3000 : 0),
    });
    closers.push(() => sim.close());
    replacements.push([`127.0.0.1:${sim.port}`, '127.0.0.1:4002'], [`"port":${sim.port}`, '"port":4002']);
    replacements.push([`"port": ${sim.port}`, '"port": 4002']);

    const servers: [Base, RunningServer][] = [];
    const source = createIbDataSource({ host: sim.host, port: sim.port, clientId: 1 });
    servers.push(['ib', await startServer({ kind: 'ib-host', port: 0, source, env: {} })]);

    const hostData = new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) });
    closers.push(() => hostData.close());
    servers.push([
      'training',
      await startServer({ kind: 'training-host', port: 0, data: hostData, env: {} }),
    ]);

    // The API reaches both host services over HTTP, as in a split deployment.
    const config = loadConfig(
      {
        dataDir,
        modelsDir,
        ib: { useHostService: true, hostServiceUrl: servers[0]![1].url },
        training: { useHostService: true, hostServiceUrl: servers[1]![1].url },
      },
      {},
    );
    const data = new DataService({ config });
    const training = new TrainingService({ data });
    servers.push(['api', await startServer({ kind: 'api', port: 0, data, training, env: {} })]);
    const securedData = new DataService({ config });
    servers.push([
      'secured',
      await startServer({ kind: 'api', port: 0, data: securedData, token: TOKEN, env: {} }),
    ]);
    // Servers close before the simulator, in reverse order of start.
    closers.unshift(
      ...servers
        .map(
          ([, server]) =>
            () =>
              server.close(),
        )
        .reverse(),
    );
    for (const [base, server] of servers) {
      origins[base] = server.origin;
      replacements.push([server.origin, SHOWN_ORIGIN[base]]);
    }
    const api = `${origins.api}/api/v1`;

    // ---- IB host service -------------------------------------------------------------------
    await example('ib-health', { base: 'ib', method: 'GET', path: '/health' }, { status: 200 });
    await example(
      'ib-historical',
      {
        base: 'ib',
        method: 'POST',
        path: '/data/historical',
        body: { symbol: 'AAPL', timeframe: '1h', start: '2024-06-27T00:00:00Z', end: '2024-06-28T00:00:00Z' },
      },
      { status: 200 },
    );
    await example(
      'ib-historical-400',
      {
        base: 'ib',
        method: 'POST',
        path: '/data/historical',
        body: { symbol: 'AAPL', timeframe: '7m', start: '2024-06-27', end: '2024-06-28' },
      },
      { status: 400 },
    );
    await example(
      'ib-historical-404',
      {
        base: 'ib',
        method: 'POST',
        path: '/data/historical',
        body: { symbol: 'NOPE', timeframe: '1h', start: '2024-06-27', end: '2024-06-28' },
      },
      { status: 404 },
    );
    await example(
      'ib-validate',
      {
        base: 'ib',
        method: 'POST',
        path: '/data/validate',
        body: { symbol: 'AAPL', timeframes: ['1h', '1d'] },
      },
      { status: 200 },
    );
    await example(
      'ib-validate-unknown',
      { base: 'ib', method: 'POST', path: '/data/validate', body: { symbol: 'NOPE' } },
      { status: 200 },
    );
    await example(
      'ib-symbol-info',
      { base: 'ib', method: 'GET', path: '/data/symbol-info/EUR.USD' },
      { status: 200 },
    );
    await example(
      'ib-symbol-info-404',
      { base: 'ib', method: 'GET', path: '/data/symbol-info/NOPE' },
      { status: 404 },
    );
    await example(
      'ib-head-timestamp',
      { base: 'ib', method: 'GET', path: '/data/head-timestamp?symbol=AAPL&timeframe=1d' },
      { status: 200 },
    );
    await example(
      'ib-search',
      { base: 'ib', method: 'GET', path: '/data/search?pattern=spdr' },
      { status: 200 },
    );

    // ---- backend API: data and operations -----------------------------------------------------
    await example('api-health', { base: 'api', method: 'GET', path: '/api/v1/health' }, { status: 200 });
    await example(
      'api-timeframes',
      { base: 'api', method: 'GET', path: '/api/v1/timeframes' },
      { status: 200 },
    );
    const load = await example(
      'api-data-load',
      {
        base: 'api',
        method: 'POST',
        path: '/api/v1/data/load',
        body: {
          symbol: 'AAPL',
          timeframe: '1h',
          mode: 'full',
          start_date: '2024-01-02T00:00:00Z',
          end_date: SIM_END,
        },
      },
      { status: 200 },
    );
    const loadId = operationIdOf(load);
    await example(
      'api-operation-wait',
      { base: 'api', method: 'GET', path: `/api/v1/operations/${loadId}/wait` },
      { status: 200 },
    );
    await example(
      'api-operation-get',
      { base: 'api', method: 'GET', path: `/api/v1/operations/${loadId}` },
      { status: 200 },
    );

    const msft = (await (
      await fetch(`${api}/data/load`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          symbol: 'MSFT',
          timeframe: '1h',
          mode: 'full',
          start_date: '2024-03-01',
          end_date: SIM_END,
        }),
      })
    ).json()) as { operation_id: string };
    await example(
      'api-operation-events',
      { base: 'api', method: 'GET', path: `/api/v1/operations/${msft.operation_id}/events` },
      { status: 200, as: 'sse', headers: ['content-type'] },
    );
    const spy = (await (
      await fetch(`${api}/data/load`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          symbol: 'SPY',
          timeframe: '1d',
          mode: 'full',
          start_date: '2023-01-01',
          end_date: SIM_END,
        }),
      })
    ).json()) as { operation_id: string };
    await example(
      'api-operation-wait-ndjson',
      {
        base: 'api',
        method: 'GET',
        path: `/api/v1/operations/${spy.operation_id}/wait`,
        headers: { accept: 'application/x-ndjson' },
      },
      { status: 200, as: 'ndjson', headers: ['content-type'] },
    );

    const unknown = await example(
      'api-data-load-unknown',
      {
        base: 'api',
        method: 'POST',
        path: '/api/v1/data/load',
        body: { symbol: 'NOPE', timeframe: '1d', mode: 'full', start_date: '2024-06-01', end_date: SIM_END },
      },
      { status: 200 },
    );
    await example(
      'api-operation-wait-failed',
      { base: 'api', method: 'GET', path: `/api/v1/operations/${operationIdOf(unknown)}/wait` },
      { status: 200 },
    );

    // 1-minute bars are slow in this simulator: the loads are still running when cancelled.
    const slowLoad = () =>
      fetch(`${api}/data/load`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          symbol: 'AAPL',
          timeframe: '1m',
          mode: 'full',
          start_date: '2024-06-17',
          end_date: SIM_END,
        }),
      }).then(async (response) => ((await response.json()) as { operation_id: string }).operation_id);
    const slowA = await slowLoad();
    await example(
      'api-operation-delete',
      { base: 'api', method: 'DELETE', path: `/api/v1/operations/${slowA}?reason=not%20needed` },
      { status: 200 },
    );
    const slowB = await slowLoad();
    await example(
      'api-operation-cancel',
      {
        base: 'api',
        method: 'POST',
        path: `/api/v1/operations/${slowB}/cancel`,
        body: { reason: 'not needed' },
      },
      { status: 200 },
    );
    for (const id of [slowA, slowB]) await fetch(`${api}/operations/${id}/wait`);
    await example(
      'api-operations-list',
      { base: 'api', method: 'GET', path: '/api/v1/operations?operation_type=data_load&limit=2' },
      { status: 200 },
    );

    await example(
      'api-bars',
      { base: 'api', method: 'GET', path: '/api/v1/data/AAPL/1h?start=2024-06-27&end=2024-06-28' },
      { status: 200 },
    );
    await example(
      'api-bars-csv',
      { base: 'api', method: 'GET', path: '/api/v1/data/AAPL/1h?format=csv&limit=3' },
      { status: 200, as: 'text', headers: ['content-type', 'x-ktrdr-simulated', 'x-ktrdr-rows'] },
    );
    await example(
      'api-range',
      { base: 'api', method: 'POST', path: '/api/v1/data/range', body: { symbol: 'AAPL', timeframe: '1h' } },
      { status: 200 },
    );
    await example('api-symbols', { base: 'api', method: 'GET', path: '/api/v1/symbols' }, { status: 200 });

    // ---- training host service ------------------------------------------------------------------
    const strategyYaml = await readFile(sampleStrategyPath(), 'utf8');
    const startBody = (sessionId: string, epochs: number) => ({
      session_id: sessionId,
      model_configuration: { strategy_yaml: strategyYaml },
      training_configuration: { epochs, seed: 1 },
      data_configuration: { symbols: ['AAPL'], timeframes: ['1h'] },
    });
    const trainingOrigin = origins.training as string;
    await example('th-health', { base: 'training', method: 'GET', path: '/health' }, { status: 200 });
    await example(
      'th-start',
      { base: 'training', method: 'POST', path: '/training/start', body: startBody('docs-example', 3) },
      { status: 200 },
    );
    await until('the training session', async () => {
      const session = await getJson(`${trainingOrigin}/training/status/docs-example`);
      return ['completed', 'failed'].includes(session['status'] as string) ? session : undefined;
    });
    await example(
      'th-status',
      { base: 'training', method: 'GET', path: '/training/status/docs-example' },
      { status: 200 },
    );
    await example(
      'th-start-409',
      { base: 'training', method: 'POST', path: '/training/start', body: startBody('docs-example', 3) },
      { status: 409 },
    );
    await example(
      'th-start-400',
      {
        base: 'training',
        method: 'POST',
        path: '/training/start',
        body: { ...startBody('docs-example-2', 3), data_configuration: { symbols: [], timeframes: ['1h'] } },
      },
      { status: 400 },
    );
    await fetch(`${trainingOrigin}/training/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(startBody('docs-example-stop', 500)),
    });
    await example(
      'th-stop',
      { base: 'training', method: 'POST', path: '/training/stop', body: { session_id: 'docs-example-stop' } },
      { status: 200 },
    );
    await until('the stopped session', async () => {
      const session = await getJson(`${trainingOrigin}/training/status/docs-example-stop`);
      return ['stopped', 'completed', 'failed'].includes(session['status'] as string) ? session : undefined;
    });
    await example(
      'th-sessions',
      { base: 'training', method: 'GET', path: '/training/sessions' },
      { status: 200, collapse: ['metrics'] },
    );
    await example(
      'th-status-404',
      { base: 'training', method: 'GET', path: '/training/status/no-such-session' },
      { status: 404 },
    );

    // ---- backend API: trainings and models ----------------------------------------------------
    const trainingStart = await example(
      'api-trainings-start',
      {
        base: 'api',
        method: 'POST',
        path: '/api/v1/trainings/start',
        body: { strategy_name: 'neuro-fuzzy-sample', symbol: 'AAPL', timeframe: '1h', epochs: 3, seed: 1 },
      },
      { status: 200 },
    );
    await example(
      'api-training-wait',
      { base: 'api', method: 'GET', path: `/api/v1/operations/${operationIdOf(trainingStart)}/wait` },
      { status: 200 },
    );
    await example('api-models', { base: 'api', method: 'GET', path: '/api/v1/models' }, { status: 200 });
    await example(
      'api-model',
      { base: 'api', method: 'GET', path: '/api/v1/models/neuro_fuzzy_sample/AAPL_1h' },
      { status: 200 },
    );
    await example(
      'api-predict',
      {
        base: 'api',
        method: 'POST',
        path: '/api/v1/models/predict',
        body: { model_name: 'neuro_fuzzy_sample/AAPL_1h', symbol: 'AAPL', bars: 3 },
      },
      { status: 200 },
    );

    // ---- errors ----------------------------------------------------------------------------------
    await example(
      'api-400-field',
      {
        base: 'api',
        method: 'POST',
        path: '/api/v1/data/load',
        body: { symbol: 'AAPL', timeframe: '7m' },
      },
      { status: 400 },
    );
    await example(
      'api-400-schema',
      {
        base: 'api',
        method: 'POST',
        path: '/api/v1/models/predict',
        body: { model_name: 'x', symbol: 'AAPL', bars: 0 },
      },
      { status: 400 },
    );
    await example(
      'api-400-body',
      { base: 'api', method: 'POST', path: '/api/v1/data/range', rawBody: '{"symbol": "AAPL",' },
      { status: 400 },
    );
    await example(
      'api-404-data',
      { base: 'api', method: 'GET', path: '/api/v1/data/NVDA/1d' },
      { status: 404 },
    );
    await example(
      'api-404-operation',
      { base: 'api', method: 'GET', path: '/api/v1/operations/op_data_load_20240101_000000_0123abcd' },
      { status: 404 },
    );
    await example('api-404-route', { base: 'api', method: 'GET', path: '/api/v1/nope' }, { status: 404 });
    await example(
      'api-401',
      { base: 'secured', method: 'GET', path: '/api/v1/health' },
      { status: 401, headers: ['www-authenticate'] },
    );
    await example(
      'api-413',
      {
        base: 'api',
        method: 'POST',
        path: '/api/v1/data/range',
        rawBody: JSON.stringify({ symbol: 'AAPL', timeframe: '1h', padding: 'x'.repeat(1_100_000) }),
        rawBodyShown: '{"symbol":"AAPL","timeframe":"1h","padding":"… 1.1 MB …"}',
      },
      { status: 413 },
    );
  } finally {
    for (const close of closers) await close().catch((error: unknown) => console.error(error));
    await rm(dataDir, { recursive: true, force: true });
    await rm(modelsDir, { recursive: true, force: true });
  }

  if (toStdout) {
    for (const [name, text] of examples) console.log(`<!-- example: ${name} -->\n${text}\n`);
    return;
  }
  const doc = await readFile(docPath, 'utf8');
  const used = new Set<string>();
  const updated = doc.replace(
    /<!-- example: ([\w-]+) -->\n[\s\S]*?<!-- \/example -->/g,
    (_match, name: string) => {
      const text = examples.get(name);
      if (text === undefined)
        throw new Error(`${docPath} has a marker for '${name}', which this script does not produce`);
      used.add(name);
      return `<!-- example: ${name} -->\n\n${text}\n\n<!-- /example -->`;
    },
  );
  const unused = [...examples.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`No marker in ${docPath} for: ${unused.join(', ')}`);
  const options = (await resolveConfig(docPath)) ?? {};
  await writeFile(docPath, await format(updated, { ...options, filepath: docPath }));
  console.log(`Wrote ${examples.size} examples into ${path.relative(root, docPath)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
