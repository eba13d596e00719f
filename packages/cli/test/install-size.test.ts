import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { directorySize, expectInstallWithin, largestPackages, MB } from './support/install-size';
import { tempDir } from './support/run-ktrdr';

// The packaging test's size budget, on a fake node_modules: what it counts and what it says when over.
describe('install size budget', () => {
  let work: Awaited<ReturnType<typeof tempDir>> | undefined;
  afterEach(async () => work?.remove());

  async function fakeInstall(files: Record<string, number>): Promise<string> {
    work = await tempDir('ktrdr-size-');
    for (const [path, bytes] of Object.entries(files)) {
      const file = join(work.path, 'node_modules', path);
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, Buffer.alloc(bytes));
    }
    return work.path;
  }

  it('counts every file, scoped packages included, largest package first', async () => {
    const project = await fakeInstall({
      'small/index.js': 1_000,
      '@scope/big/dist/a.js': 300_000,
      '@scope/big/dist/b.wasm': 200_000,
      'mid/index.js': 50_000,
    });
    expect(await directorySize(join(project, 'node_modules'))).toBe(551_000);
    expect(await largestPackages(join(project, 'node_modules'), 2)).toEqual([
      { name: '@scope/big', bytes: 500_000 },
      { name: 'mid', bytes: 50_000 },
    ]);
  });

  it('passes within the budget and, over it, names the size, the budget and what grew', async () => {
    const project = await fakeInstall({ 'heavy/blob.bin': 2.5 * MB, 'light/index.js': 0.1 * MB });
    expect(await expectInstallWithin(project, 3, 'The test install')).toBe(2.6 * MB);
    await expect(expectInstallWithin(project, 2, 'The test install')).rejects.toThrow(
      /The test install is 2\.6 MB of node_modules, over its budget of 2 MB[\s\S]*heavy: 2\.5 MB/,
    );
  });
});
