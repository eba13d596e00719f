import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs an example the way its README says (tsx from the repository), in a scratch folder. */
function runExample(
  file: string,
  dir: string,
  args: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      EPOCHS: '3',
      KTRDR_DATA_DIR: path.join(dir, 'data'),
      KTRDR_MODELS_DIR: path.join(dir, 'models'),
    };
    delete env['IB_PORT']; // always the embedded simulator here
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples run against the simulator', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'ktrdr-examples-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('01-load-data loads labelled simulated bars into the store', async () => {
    const { code, stdout, stderr } = await runExample('examples/scripts/01-load-data.ts', cwd);
    expect(code, stderr).toBe(0);
    const loaded = /Loaded (\d+) SIMULATED bars of AAPL 1h/.exec(stdout);
    expect(loaded).not.toBeNull();
    expect(Number(loaded?.[1])).toBeGreaterThan(500);
    expect(await readdir(path.join(cwd, 'data', 'simulated'))).toContain('AAPL_1h.csv');
  }, 120_000);

  it('02-indicators prints indicator values on simulated bars', async () => {
    const { code, stdout, stderr } = await runExample('examples/scripts/02-indicators.ts', cwd);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/MSFT 1h, \d+ bars \(SIMULATED\)/);
    const rows = stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).not.toContain('NaN');
  }, 120_000);

  it('03-train trains and saves a model marked as trained on simulated data', async () => {
    const { code, stdout, stderr } = await runExample('examples/scripts/03-train.ts', cwd);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Saved neuro_fuzzy_sample\/AAPL_1h_v\d+ \(trained on SIMULATED data\)/);
    expect(stdout).toMatch(/test accuracy 0\.\d{3}/);
  }, 240_000);

  it('04-predict prints one signal per bar with probabilities', async () => {
    const { code, stdout, stderr } = await runExample('examples/scripts/04-predict.ts', cwd);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/via onnx \(SIMULATED data\)/);
    const rows = stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\dT.*(BUY|HOLD|SELL)/.test(line));
    expect(rows).toHaveLength(8);
  }, 240_000);

  it('the tslab notebook runs cell by cell: a labelled frame, an HTML table, and SVG charts of bars and curves', async () => {
    const out = path.join(cwd, 'notebook-displays');
    const { code, stdout, stderr } = await runExample('examples/notebooks/run-notebook.ts', cwd, [
      'examples/notebooks/bars-and-training.ipynb',
      '--out',
      out,
    ]);
    expect(code, stderr).toBe(0);
    // The value of the load cell, printed by util.inspect as the kernel prints it.
    expect(stdout).toMatch(/^BarFrame AAPL 1h, \d+ bars, SIMULATED, \d{4}-\d\d-\d\d \d\d:\d\d to .* UTC$/m);
    expect(stdout).toMatch(/^time \(UTC\) +open +high +low +close +volume$/m);
    expect(stdout).toMatch(/^AAPL 1h, last 120 of \d+ bars, SIMULATED$/m);
    expect(stdout).toMatch(/^saved neuro_fuzzy_sample\/AAPL_1h_v\d+ \(trained on SIMULATED data\)$/m);
    expect((await readdir(out)).sort()).toEqual(['display-1.html', 'display-2.svg', 'display-3.svg']);
    expect(await readFile(path.join(out, 'display-1.html'), 'utf8')).toContain(
      '<strong style="color:#b91c1c">SIMULATED</strong>',
    );
    const bars = await readFile(path.join(out, 'display-2.svg'), 'utf8');
    expect(bars).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/s);
    expect(bars.match(/<rect x=/g)).toHaveLength(120);
    expect(await readFile(path.join(out, 'display-3.svg'), 'utf8')).toMatch(
      /Training curves, trained on <tspan[^>]*>SIMULATED<\/tspan> data.*<polyline /s,
    );
  }, 240_000);

  it('custom-transport loads from a user-provided source through the in-process transport', async () => {
    const { code, stdout, stderr } = await runExample('examples/custom-transport/src/main.ts', cwd);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Loaded \d+ daily bars of ACME from the vendor/);
    expect(stdout).toContain("source: 'example-vendor'");
  }, 120_000);
});
