import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type RunningServer, startServer } from '../src/index';

/**
 * Docker is not available where the tests run, so the container files are checked here for what
 * can break without a daemon: every command names a real bin with real options, healthchecks hit
 * the port and route the server serves, no server binds 0.0.0.0 without the token, data and
 * models are volumes, and the image is multi-stage, pinned to Node 20 slim and runs as non-root.
 */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
// The raw text keeps `${VAR:?message}` as written; parse() does not interpolate.
const services = Object.entries(compose.services);
const ktrdrServices = services.filter(([, service]) => service.image?.startsWith('${KTRDR_IMAGE'));
const dockerfile = read('Dockerfile');

/** Every bin of every workspace package, by name, with the source it is built from. */
const BINS = new Map<string, string>();
for (const dir of readdirSync(path.join(REPO_ROOT, 'packages'))) {
  const manifest = path.join('packages', dir, 'package.json');
  if (!existsSync(path.join(REPO_ROOT, manifest))) continue;
  const { bin = {} } = JSON.parse(read(manifest)) as { bin?: Record<string, string> };
  for (const [name, target] of Object.entries(bin)) {
    BINS.set(
      name,
      path.join('packages', dir, 'src', 'bin', `${path.basename(target).replace(/\.c?js$/, '')}.ts`),
    );
  }
}

/** The HTTP servers: what they must be told to bind, and where their health route is. */
const HEALTH_PATHS: Record<string, string> = {
  'ktrdr-api': '/api/v1/health',
  'ktrdr-ib-host': '/health',
  'ktrdr-training-host': '/health',
};

const optionValue = (command: string[], option: string) => {
  const index = command.indexOf(option);
  return index < 0 ? undefined : command[index + 1];
};

/** `--help` of a bin run from its source, as `node --import tsx` from the repository root. */
function helpOf(source: string, subcommand: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', source, ...subcommand, '--help'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${source}: ${output}`))));
  });
}

describe('compose.yaml', () => {
  it('runs every ktrdr process from the one image, with commands that name a real bin and its real options', async () => {
    expect(ktrdrServices.map(([name]) => name).sort()).toEqual(
      ['api', 'ib-host', 'ktrdr-ib-sim', 'training-host', 'worker'].sort(),
    );
    await Promise.all(
      ktrdrServices.map(async ([name, service]) => {
        const [bin = '', ...args] = service.command ?? [];
        const source = BINS.get(bin);
        expect(source, `${name}: '${bin}' is no package's bin`).toBeDefined();
        expect(existsSync(path.join(REPO_ROOT, source as string)), `${name}: ${source}`).toBe(true);
        const subcommand = args.filter((arg, i) => !arg.startsWith('-') && !args[i - 1]?.startsWith('-'));
        const help = await helpOf(source as string, subcommand);
        for (const option of args.filter((arg) => arg.startsWith('--'))) {
          expect(help, `${name}: ${bin} ${subcommand.join(' ')} has no ${option}`).toContain(option);
        }
      }),
    );
  }, 60_000);

  it('gives every service a healthcheck that asks its own port and health route', () => {
    for (const [name, service] of services) {
      const test = service.healthcheck?.test ?? [];
      expect(test[0], `${name} has no healthcheck`).toBe('CMD');
      const [bin = '', ...args] = service.command ?? [];
      if (bin in HEALTH_PATHS) {
        expect(test.slice(1)).toEqual([
          'node',
          '/app/docker/healthcheck.mjs',
          `http://127.0.0.1:${optionValue(args, '--port')}${HEALTH_PATHS[bin]}`,
        ]);
      }
    }
    expect(compose.services['ktrdr-ib-sim']?.healthcheck?.test.at(-1)).toBe(
      `tcp://127.0.0.1:${optionValue(compose.services['ktrdr-ib-sim']?.command ?? [], '--port')}`,
    );
  });

  it('binds no server to 0.0.0.0 without requiring KTRDR_API_TOKEN, and publishes only the API on loopback', () => {
    for (const [name, service] of ktrdrServices) {
      const [bin = '', ...args] = service.command ?? [];
      const host = optionValue(args, '--host');
      if (bin in HEALTH_PATHS || bin === 'ktrdr') {
        // compose refuses to start with the token unset (`:?`), rather than the servers one by one.
        expect(service.environment?.['KTRDR_API_TOKEN'], name).toMatch(/^\$\{KTRDR_API_TOKEN:\?.+\}$/);
      }
      if (host !== undefined && bin in HEALTH_PATHS) expect(host).toBe('0.0.0.0');
      if (name !== 'api') expect(service.ports, `${name} is published`).toBeUndefined();
    }
    expect(compose.services['api']?.ports).toEqual(['${KTRDR_API_PUBLISH:-127.0.0.1:8000}:8000']);
  });

  it('shares the data and models volumes at the folders the image sets', () => {
    const dataDir = /KTRDR_DATA_DIR=(\S+)/.exec(dockerfile)?.[1];
    const modelsDir = /KTRDR_MODELS_DIR=(\S+)/.exec(dockerfile)?.[1];
    expect(dataDir).toBe('/var/lib/ktrdr/data');
    expect(modelsDir).toBe('/var/lib/ktrdr/models');
    for (const name of ['api', 'ib-host', 'training-host', 'worker']) {
      expect(compose.services[name]?.volumes, name).toEqual([
        `ktrdr-data:${dataDir}`,
        `ktrdr-models:${modelsDir}`,
      ]);
    }
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['ktrdr-data', 'ktrdr-models']));
  });

  it('wires the services together: hosts, Redis for the workers, the simulator as the default gateway', () => {
    const api = compose.services['api']?.environment ?? {};
    expect(api).toMatchObject({
      USE_IB_HOST_SERVICE: 'true',
      IB_HOST_SERVICE_URL: 'http://ib-host:8001',
      USE_TRAINING_HOST_SERVICE: 'true',
      TRAINING_HOST_SERVICE_URL: 'http://training-host:8002',
    });
    expect(compose.services['ib-host']?.environment).toMatchObject({
      IB_HOST: '${IB_HOST:-ktrdr-ib-sim}',
      IB_PORT: `\${IB_PORT:-${optionValue(compose.services['ktrdr-ib-sim']?.command ?? [], '--port')}}`,
    });
    expect(compose.services['ktrdr-ib-sim']?.profiles).toEqual(['sim']);
    expect(compose.services['redis']?.profiles).toEqual(['queue']);
    expect(compose.services['worker']?.profiles).toEqual(['queue']);
    expect(compose.services['worker']?.environment?.['KTRDR_REDIS_URL']).toBe('redis://redis:6379');
    expect(compose.services['worker']?.depends_on?.['redis']).toEqual({ condition: 'service_healthy' });
    // Scalable: a fixed name or a published port would stop `--scale worker=N`.
    expect(compose.services['worker']).not.toHaveProperty('container_name');
    expect(compose.services['worker']).not.toHaveProperty('ports');
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('is multi-stage on a pinned Node 20 slim image that satisfies the engines field', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    expect(image).toMatch(/^node:20\.\d+\.\d+-[a-z]+-slim$/);
    for (const stage of stages) expect(stage).toMatch(/^\$\{NODE_IMAGE\} AS \w+/);
    const [, minor = '0'] = /^node:20\.(\d+)/.exec(image) ?? [];
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('>=20.19');
    expect(Number(minor)).toBeGreaterThanOrEqual(19);
  });

  it('installs with npm ci and no GPU download, builds, then keeps only production dependencies', () => {
    const build = stages[0] ?? '';
    expect(build).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip/);
    expect(build).toMatch(/^RUN npm ci$/m);
    expect(build).toMatch(/npm run build/);
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it('runs as the unprivileged node user, with the data and models folders as volumes', () => {
    const users = [...runtime.matchAll(/^USER (\S+)$/gm)].map((match) => match[1]);
    expect(users).toEqual(['node']);
    expect(runtime.indexOf('USER node')).toBeGreaterThan(runtime.lastIndexOf('RUN '));
    expect(runtime).toMatch(/VOLUME \["\/var\/lib\/ktrdr\/data", "\/var\/lib\/ktrdr\/models"\]/);
    expect(runtime).toMatch(/chown -R node:node \/var\/lib\/ktrdr/);
  });

  it('copies the manifest of every workspace, so npm ci sees the whole lockfile', () => {
    const { workspaces } = JSON.parse(read('package.json')) as { workspaces: string[] };
    for (const workspace of workspaces) {
      expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
  });

  it('sends the build every file it copies (.dockerignore lets them in)', () => {
    const allowed = read('.dockerignore')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) =>
      (match[1] ?? '').split(' '),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect(allowed, source).toContain(source.split('/')[0]);
  });
});

describe('docker/healthcheck.mjs', () => {
  let server: RunningServer;
  let closedPort: number;
  let listening: Server;
  beforeAll(async () => {
    server = await startServer({ kind: 'training-host', host: '127.0.0.1', port: 0, token: 'secret-token' });
    listening = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(async () => {
    await server?.close();
    listening?.close();
  });

  function check(url: string, token?: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const env = { ...process.env };
      delete env['KTRDR_API_TOKEN'];
      if (token !== undefined) env['KTRDR_API_TOKEN'] = token;
      const child = spawn(process.execPath, ['docker/healthcheck.mjs', url], { cwd: REPO_ROOT, env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('is healthy only when the server answers 2xx to the bearer token', async () => {
    const url = `${server.origin}/health`;
    expect(await check(url, 'secret-token')).toEqual({ code: 0, stderr: '' });
    const refused = await check(url, 'wrong-token');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`unhealthy: ${url}: HTTP 401\n`);
    expect(refused.stderr).not.toContain('wrong-token');
    expect((await check(url)).code).toBe(1);
  });

  it('checks a TCP port for the simulator and the workers', async () => {
    const port = (listening.address() as { port: number }).port;
    expect((await check(`tcp://127.0.0.1:${port}`)).code).toBe(0);
    const closed = await check(`tcp://127.0.0.1:${closedPort}`);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/ECONNREFUSED/);
    expect((await check('ftp://example.invalid')).stderr).toMatch(/unsupported scheme ftp:/);
  });
});

describe('docker/copy-package-files.mjs', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'ktrdr-image-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  function copy(out: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const script = path.join(REPO_ROOT, 'docker', 'copy-package-files.mjs');
      const child = spawn(process.execPath, [script, out], { cwd });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it("copies each package's manifest and published files, and nothing else", async () => {
    await mkdir(path.join(cwd, 'packages', 'training', 'dist'), { recursive: true });
    await mkdir(path.join(cwd, 'packages', 'training', 'strategies'), { recursive: true });
    await mkdir(path.join(cwd, 'packages', 'training', 'src'), { recursive: true });
    const manifest = JSON.stringify({ name: '@ktrdr/training', files: ['dist', 'strategies'] });
    await writeFile(path.join(cwd, 'packages', 'training', 'package.json'), manifest);
    await writeFile(path.join(cwd, 'packages', 'training', 'dist', 'index.js'), 'export {};');
    await writeFile(path.join(cwd, 'packages', 'training', 'strategies', 'sample.yaml'), 'name: sample');
    await writeFile(path.join(cwd, 'packages', 'training', 'src', 'index.ts'), 'export {};');
    expect(await copy('out')).toEqual({ code: 0, stderr: '' });
    const out = path.join(cwd, 'out', 'packages', 'training');
    expect(await readFile(path.join(out, 'package.json'), 'utf8')).toBe(manifest);
    expect(await readFile(path.join(out, 'strategies', 'sample.yaml'), 'utf8')).toBe('name: sample');
    expect(existsSync(path.join(out, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(path.join(out, 'src'))).toBe(false);
  });

  it('fails the build, naming the package, when a published folder was not built', async () => {
    await mkdir(path.join(cwd, 'packages', 'core'), { recursive: true });
    await writeFile(path.join(cwd, 'packages', 'core', 'package.json'), JSON.stringify({ files: ['dist'] }));
    const { code, stderr } = await copy('out2');
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${path.join('packages', 'core', 'dist')} is missing: run 'npm run build' first.`,
    );
  });
});
