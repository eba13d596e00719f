import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OperationRegistry, loadConfig } from '@ktrdr/core';
import { AsyncDataAdapter, DataService, type HistoricalDataSource } from '@ktrdr/data';
import { TrainingService, sampleStrategyPath } from '@ktrdr/training';
import express from 'express';
import {
  type RunningServer,
  createPathRedactor,
  installShutdownHandlers,
  redactAnswers,
  startServer,
} from '../src/index';
import { runServerBin } from '../src/bin/run-server-bin';
import { createFakeSource } from './support/fake-source';
import { Resources, eventually, fetchJson, hasStackTrace, postJson } from './support/harness';
import { randomWalkFrame } from './support/random-walk';

const resources = new Resources();
afterAll(() => resources.closeAll());

let dataDir: string;
let modelsDir: string;
let api: RunningServer;
let ibHost: RunningServer;
let trainingHost: RunningServer;
/** Everything a server answered, by request, for the assertions. */
const answers: { request: string; status: number; text: string }[] = [];

/** A source that fails the way a real one fails inside: a Node error naming a file, with its stack. */
function brokenSource(folder: string): HistoricalDataSource {
  const failure = () => {
    const error = new Error(`EACCES: permission denied, open '${join(folder, 'ib-cache', 'AAPL.bin')}'`);
    Object.assign(error, { code: 'EACCES', path: join(folder, 'ib-cache', 'AAPL.bin') });
    return error;
  };
  return {
    ...createFakeSource(),
    fetchBars: () => Promise.reject(failure()),
    getHeadTimestamp: () =>
      Promise.reject(new TypeError(`Cannot read properties of undefined\n    at x (${folder}/a.js:1:2)`)),
  };
}

async function record(request: string, answer: Promise<{ status: number; text: string }>) {
  const { status, text } = await answer;
  answers.push({ request, status, text });
  return { status, text };
}

beforeAll(async () => {
  dataDir = await realpath(await resources.tempDir('ktrdr-leak-data-'));
  modelsDir = await realpath(await resources.tempDir('ktrdr-leak-models-'));
  const hostData = resources.add(new DataService({ config: loadConfig({ dataDir, modelsDir }, {}) }), (d) =>
    d.close(),
  );
  await hostData.store.save('AAPL', '1h', randomWalkFrame(300), { simulated: true });
  trainingHost = resources.add(
    await startServer({ kind: 'training-host', port: 0, data: hostData, env: {} }),
    (h) => h.close(),
  );
  ibHost = resources.add(
    await startServer({ kind: 'ib-host', port: 0, source: brokenSource(dataDir), env: {} }),
    (h) => h.close(),
  );
  const config = loadConfig(
    { dataDir, modelsDir, training: { useHostService: true, hostServiceUrl: trainingHost.url } },
    {},
  );
  const operations = new OperationRegistry();
  const data = new DataService({
    config,
    operations,
    adapter: new AsyncDataAdapter({ kind: 'http', url: ibHost.url }),
  });
  const training = new TrainingService({ data, config, operations });
  api = resources.add(await startServer({ kind: 'api', port: 0, data, training, env: {} }), (a) => a.close());
  // A model folder whose metadata is torn: the model store's read error names the file.
  const torn = join(modelsDir, 'neuro_fuzzy_sample', 'AAPL_1h_v1');
  await mkdir(torn, { recursive: true });
  await writeFile(join(torn, 'metadata.json'), '{"strategy": "neuro_fuzzy_sample", "ver');
}, 30_000);

describe('no answer carries a server path or a stack trace', () => {
  it('sweeps bad requests across the API, the IB host and the training host', async () => {
    const strategy = await readFile(sampleStrategyPath(), 'utf8');
    const get = (url: string) => fetchJson(url);
    const a = api.url;
    // The API: not found, validation, model store, operation failures, internal errors.
    await record('GET data NOPE (json)', get(`${a}/data/NOPE/1h`));
    await record('GET data NOPE (csv)', get(`${a}/data/NOPE/1h?format=csv`));
    await record('GET data bad timeframe', get(`${a}/data/AAPL/2x`));
    await record('GET data bad format', get(`${a}/data/AAPL/1h?format=xml`));
    await record('POST data/load malformed', postJson(`${a}/data/load`, '{"symbol":'));
    await record('POST data/range unknown', postJson(`${a}/data/range`, { symbol: 'NOPE', timeframe: '1h' }));
    await record('GET operation bad id', get(`${a}/operations/not-an-id`));
    await record('GET operation unknown', get(`${a}/operations/op_data_load_20240101_000000_00000000`));
    await record('GET unknown route', get(`${a}/nope/${encodeURIComponent(dataDir)}`));
    await record(
      'POST trainings unknown strategy',
      postJson(`${a}/trainings/start`, { strategy_name: 'nope' }),
    );
    await record(
      'POST trainings bad name',
      postJson(`${a}/trainings/start`, { strategy_name: '../etc/passwd' }),
    );
    await record('GET models missing', get(`${a}/models/neuro_fuzzy_sample/MSFT_1h`));
    await record('GET models torn', get(`${a}/models/neuro_fuzzy_sample/AAPL_1h_v1`));
    await record('GET models list', get(`${a}/models`));
    await record(
      'POST predict unknown',
      postJson(`${a}/models/predict`, { model_name: 'neuro_fuzzy_sample/MSFT_1h_v1', symbol: 'MSFT' }),
    );
    // A load whose source fails inside (EACCES naming a file) and a training without bars: both
    // fail as operations, and their errors travel in the operation records and event streams.
    const load = await record(
      'POST data/load failing source',
      postJson(`${a}/data/load`, { symbol: 'AAPL', timeframe: '1h', mode: 'tail', start_date: '2024-03-04' }),
    );
    const train = await record(
      'POST trainings no data',
      postJson(`${a}/trainings/start`, {
        strategy_name: 'neuro-fuzzy-sample',
        symbol: 'MSFT',
        timeframe: '1h',
        epochs: 1,
      }),
    );
    for (const started of [load, train]) {
      const id = (JSON.parse(started.text) as { operation_id: string }).operation_id;
      const done = await record(`GET wait ${id}`, get(`${a}/operations/${id}/wait`));
      expect(done.text).toMatch(/"status":"failed"/);
      await record(
        `GET events ${id}`,
        fetch(`${a}/operations/${id}/events`).then(async (r) => ({ status: r.status, text: await r.text() })),
      );
    }
    await record('GET operations', get(`${a}/operations`));
    await record('GET health', get(`${a}/health`));
    // The IB host.
    const i = ibHost.url;
    const historical = { symbol: 'AAPL', timeframe: '1h', start: '2024-03-04', end: '2024-03-05' };
    await record('IB historical internal', postJson(`${i}/data/historical`, historical));
    await record('IB head timestamp internal', get(`${i}/data/head-timestamp?symbol=AAPL&timeframe=1h`));
    await record('IB symbol unknown', get(`${i}/data/symbol-info/NOPE`));
    await record('IB bad body', postJson(`${i}/data/historical`, { symbol: 3 }));
    await record('IB unknown route', get(`${i}/nope`));
    // The training host: bad input, unknown sessions, a session that fails on missing bars.
    const t = trainingHost.url;
    await record('TH bad start', postJson(`${t}/training/start`, { model_configuration: {} }));
    await record('TH unknown session', get(`${t}/training/status/nope`));
    await record('TH bad session id', get(`${t}/training/status/${encodeURIComponent('bad id!')}`));
    await record(
      'TH session without bars',
      postJson(`${t}/training/start`, {
        session_id: 'leak-1',
        model_configuration: { strategy_yaml: strategy },
        training_configuration: { epochs: 1 },
        data_configuration: { symbols: ['MSFT'], timeframes: ['1h'] },
      }),
    );
    await eventually(async () => {
      const status = await record('TH failed session', get(`${t}/training/status/leak-1`));
      return /"status":"failed"/.test(status.text) ? true : undefined;
    }, 20_000);
    await record('TH sessions', get(`${t}/training/sessions`));
    await record('TH unknown route', get(`${t}/nope`));

    // The sweep reached real failures, not only 404s of routes.
    expect(answers.filter((answer) => answer.status >= 500).length).toBeGreaterThan(0);
    expect(answers.some((answer) => answer.text.includes('<data dir>'))).toBe(true);
    const leaks = answers.filter(
      ({ text }) =>
        text.includes(dataDir) ||
        text.includes(modelsDir) ||
        text.includes(process.cwd()) ||
        text.includes('/home/') ||
        text.includes('/tmp/') ||
        hasStackTrace(text),
    );
    expect(leaks).toEqual([]);
  }, 60_000);

  it('keeps the reported 404 useful: the folder by its label', async () => {
    const answer = await fetchJson(`${api.url}/data/NOPE/1h`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({
      error: { code: 'not_found', message: 'No 1h data stored for NOPE in <data dir>: load it first.' },
    });
  });

  it('keeps Content-Length true for res.json() answers, and leaves CSV downloads as they are', async () => {
    const app = express();
    app.use(redactAnswers(createPathRedactor([{ label: 'data dir', path: '/srv/ktrdr/data' }])));
    app.get('/json', (_req, res) => void res.json({ path: '/srv/ktrdr/data/simulated/AAPL_1h.csv' }));
    app.get('/csv', (_req, res) => void res.type('text/csv').send('date,note\n2024-01-01,/srv/ktrdr/data\n'));
    const { url } = await resources.listen(app);
    const json = await fetchJson(`${url}/json`);
    expect(json.body).toEqual({ path: '<data dir>/simulated/AAPL_1h.csv' });
    expect(Number(json.headers.get('content-length'))).toBe(Buffer.byteLength(json.text));
    expect((await fetchJson(`${url}/csv`)).text).toContain(',/srv/ktrdr/data');
  });

  it('redacts a start-up failure as a bin logs it', async () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const server = await runServerBin(
        'ktrdr-api',
        'api',
        () => {
          throw new Error(`EACCES: permission denied, mkdir '${dataDir}/simulated'`);
        },
        [],
      );
      expect(server).toBeUndefined();
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
    }
    expect(written.join('')).toMatch(
      /^ktrdr-api: EACCES: permission denied, mkdir '(<temp>\/ktrdr-leak-data-\w+\/simulated|<path>)'/,
    );
    expect(written.join('')).not.toContain(dataDir);
  });

  it('redacts the shutdown log line of a failed shutdown', async () => {
    const lines: string[] = [];
    const server = { close: () => Promise.reject(new Error(`EBUSY: cannot remove '${dataDir}/lock'`)) };
    const uninstall = installShutdownHandlers(server, {
      signals: ['SIGUSR2'],
      exit: () => undefined,
      log: (line) => lines.push(line),
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await eventually(() => (lines.some((line) => line.startsWith('Shutdown failed')) ? true : undefined));
      expect(lines.join('\n')).not.toContain(dataDir);
      expect(lines.join('\n')).toMatch(/cannot remove '<(temp|path)>/);
    } finally {
      uninstall();
    }
  });
});
