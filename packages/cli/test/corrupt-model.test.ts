import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '@ktrdr/core';
import type { IbSimulator } from '@ktrdr/ib-sim';
import { type RunningServer, startServer } from '@ktrdr/server';
import { sampleStrategyPath } from '@ktrdr/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { daysAgo, runKtrdr, tempDir } from './support/run-ktrdr';
import { startSimulator } from './support/simulator';

/**
 * A torn model file (a `metadata.json` or `metrics.json` cut short) is a typed error naming the
 * model and the file relative to the models folder: 400 over HTTP, exit 2 in the CLI, and
 * `models list` leaves the damaged version out and says so.
 */
describe('models with a torn file', () => {
  let simulator: IbSimulator;
  let home: Awaited<ReturnType<typeof tempDir>>;
  let folders: string[];
  let server: RunningServer;
  const v1 = 'neuro_fuzzy_sample/AAPL_1h_v1';
  const v2 = 'neuro_fuzzy_sample/AAPL_1h_v2';
  const tear = async (file: string) => {
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, Math.floor(text.length / 2)));
  };

  beforeAll(async () => {
    let env: Record<string, string>;
    ({ simulator, env } = await startSimulator());
    home = await tempDir();
    const models = join(home.path, 'models');
    folders = ['--data-dir', join(home.path, 'data'), '--models-dir', models];
    const load = ['data', 'load', 'AAPL', '-t', '1h', '--start', daysAgo(150), '--no-progress', ...folders];
    expect((await runKtrdr(load, { env })).code).toBe(0);
    const train = ['models', 'train', sampleStrategyPath(), 'AAPL', '1h', '--epochs', '2', '--no-progress'];
    for (let i = 0; i < 2; i++) expect((await runKtrdr([...train, ...folders])).code).toBe(0);
    await tear(join(models, v1, 'metadata.json'));
    await tear(join(models, v2, 'metrics.json'));
    const config = loadConfig({ dataDir: join(home.path, 'data'), modelsDir: models }, {});
    server = await startServer({ kind: 'api', port: 0, config, env: {} });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await simulator.close();
    await home.remove();
  });

  it('models show: a clear message and exit 2, naming the file relative to the models folder', async () => {
    const torn = await runKtrdr(['models', 'show', v1, ...folders]);
    expect(torn.code).toBe(EXIT_CODES.usage);
    expect(torn.stderr).toMatch(
      /^ktrdr: Model neuro_fuzzy_sample\/AAPL_1h_v1 is damaged: neuro_fuzzy_sample\/AAPL_1h_v1\/metadata\.json is not valid JSON \(.+\)\. Train it again/m,
    );
    const metrics = await runKtrdr(['models', 'show', v2, ...folders]);
    expect(metrics.code).toBe(EXIT_CODES.usage);
    expect(metrics.stderr).toContain(`is damaged: ${v2}/metrics.json is not valid JSON`);
    for (const run of [torn, metrics]) expect(run.stderr).not.toContain(home.path);
  });

  it('models list leaves the damaged version out and reports it', async () => {
    const list = await runKtrdr(['models', 'list', ...folders]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${v2} `, 'm'));
    expect(list.stdout).not.toContain(v1);
    expect(list.stderr).toMatch(
      /^warning: Model neuro_fuzzy_sample\/AAPL_1h_v1 is damaged: .*metadata\.json .*\(left out of this list\)$/m,
    );
  });

  it('over HTTP: a 400 validation answer with the model and file, no absolute path', async () => {
    for (const [name, file] of [
      [v1, `${v1}/metadata.json`],
      [v2, `${v2}/metrics.json`],
    ] as const) {
      const answer = await fetch(`${server.url}/models/${name}`);
      const text = await answer.text();
      expect(answer.status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({
        error: { code: 'validation', details: { model: name, file } },
      });
      expect(text).not.toContain(home.path);
    }
    const list = (await (await fetch(`${server.url}/models`)).json()) as {
      data: { name: string }[];
      problems: { model: string; file: string }[];
    };
    expect(list.data.map((m) => m.name)).toEqual([v2]);
    expect(list.problems).toEqual([expect.objectContaining({ model: v1, file: `${v1}/metadata.json` })]);
  });
});
