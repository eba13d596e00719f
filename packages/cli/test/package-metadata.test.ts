import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/spawn-ktrdr';

// No repository URL was named anywhere in the repo: this is the one every package and README uses.
const REPO = 'https://github.com/ktrdr/ktrdr-ts';
const packages = readdirSync(join(REPO_ROOT, 'packages')).filter((name) =>
  existsSync(join(REPO_ROOT, 'packages', name, 'package.json')),
);

describe('published package metadata', () => {
  it.each(packages)('%s names its repository folder, homepage and issue tracker', (name) => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', name, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg['repository']).toEqual({ type: 'git', url: `git+${REPO}.git`, directory: `packages/${name}` });
    expect(pkg['homepage']).toBe(`${REPO}/tree/main/packages/${name}#readme`);
    expect(pkg['bugs']).toEqual({ url: `${REPO}/issues` });
  });

  // A README ships in the tarball and is shown on the registry's page: a relative link to docs/
  // (or anything outside dist/) is dead in both places.
  it.each(packages)('%s README links are absolute and point at files of this repository', (name) => {
    const readme = readFileSync(join(REPO_ROOT, 'packages', name, 'README.md'), 'utf8');
    const links = [
      ...[...readme.matchAll(/\]\(\s*([^)\s]+)\)/g)].map((m) => m[1] as string),
      ...[...readme.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] as string),
    ];
    const relative = links.filter((link) => !/^(https?:|mailto:|#)/.test(link));
    expect(relative).toEqual([]);
    for (const link of links.filter((l) => l.startsWith(`${REPO}/`))) {
      const path = link.replace(new RegExp(`^${REPO}/(blob|tree)/main/`), '').replace(/#.*$/, '');
      expect(existsSync(join(REPO_ROOT, path)), `${link} names a file of the repository`).toBe(true);
    }
  });
});
