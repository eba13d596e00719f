/**
 * The folders of packages/training/src form layers: no folder imports, directly or through others,
 * a folder that imports it back. A cycle means a type or function sits in the wrong folder; move
 * it to the folder both sides can import (the rule in docs/architecture.md).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** Every `.ts` file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top folder of `file` under src (`.` for files at its root, such as index.ts). */
function folderOf(file: string): string {
  const [first, ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length === 0 ? '.' : (first ?? '.');
}

/** Folder -> the folders its files import (type-only imports included: they couple folders too). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const specifier = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const match of readFileSync(file, 'utf8').matchAll(specifier)) {
      const to = folderOf(path.resolve(path.dirname(file), match[1] as string));
      if (to !== from && to !== '.') targets.add(to);
    }
  }
  return graph;
}

/** Every cycle between folders, each as the path that closes it (`a -> b -> a`). */
function folderCycles(graph: Map<string, Set<string>>): string[] {
  const cycles = new Set<string>();
  const visit = (node: string, trail: string[]): void => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      const loop = trail.slice(at);
      // One spelling per cycle: start it at its smallest folder name.
      const start = loop.indexOf([...loop].sort()[0] as string);
      const canonical = [...loop.slice(start), ...loop.slice(0, start)];
      cycles.add([...canonical, canonical[0]].join(' -> '));
      return;
    }
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  return [...cycles].sort();
}

describe('packages/training/src folders', () => {
  it('import each other without cycles', () => {
    expect(folderCycles(folderGraph())).toEqual([]);
  });

  it('the check sees a cycle when there is one', () => {
    const graph = new Map([
      ['features', new Set(['indicators'])],
      ['indicators', new Set(['features'])],
      ['model', new Set<string>()],
    ]);
    expect(folderCycles(graph)).toEqual(['features -> indicators -> features']);
  });
});
