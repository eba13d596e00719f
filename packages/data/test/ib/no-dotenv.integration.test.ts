import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Closer, simulator, tempDir } from '../chain/chain-fixtures';
import type { ConnectFromFolderArgs, ConnectFromFolderResult } from './fixtures/connect-from-folder';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CONNECT = fileURLToPath(new URL('./fixtures/connect-from-folder.ts', import.meta.url));
const SENTINEL = 'KTRDR_TEST_DOTENV_SENTINEL';

const closer = new Closer();
afterEach(() => closer.closeAll());

/** Runs the fixture in its own process (so this process's environment stays clean). */
function connectFromFolder(args: ConnectFromFolderArgs): Promise<ConnectFromFolderResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CONNECT, JSON.stringify(args)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  closer.add(child, (c) => c.exitCode === null && c.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) reject(new Error(`fixture exited ${code}: ${stderr}`));
      else resolve(JSON.parse(line) as ConnectFromFolderResult);
    }),
  );
}

describe('@stoqey/ib and a .env in the working folder', () => {
  it('a real connection and fetch load nothing from ./.env; dotenv still works when the user calls it', async () => {
    const sim = await simulator(closer);
    const cwd = await tempDir(closer);
    await writeFile(join(cwd, '.env'), `${SENTINEL}=loaded\nKTRDR_DATA_DIR=/elsewhere\n`);
    const result = await connectFromFolder({ host: sim.host, port: sim.port, cwd, sentinel: SENTINEL });
    expect(result).toEqual({ connected: true, afterConnect: null, afterExplicitDotenv: 'loaded' });
    expect(process.env[SENTINEL]).toBeUndefined();
  });
});
