import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Emits the declarations of the public entry (as the build does) and follows the emitted imports
 * from index.d.ts. A project with `skipLibCheck: false` type-checks every .d.ts it reaches: one that
 * imports TF.js also pulls in TF.js's own types and the WebGPU types they reference.
 */
function reachableDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(repo, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  );
  if (config === undefined) throw new Error('cannot read tsconfig.json');
  const emitted = new Map<string, string>();
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    outDir: join(repo, '.public-types'),
    rootDir: join(repo, 'packages'),
  };
  const entry = join(repo, 'packages/training/src/index.ts');
  const program = ts.createProgram([entry], options);
  program.emit(undefined, (file, text) => emitted.set(normalize(file), text));
  const reached = new Map<string, string>();
  const queue = [join(repo, '.public-types/training/src/index.d.ts')];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (reached.has(file)) continue;
    const text = emitted.get(file);
    if (text === undefined) continue; // another package's declarations, bundled as its own package
    reached.set(file, text);
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      queue.push(normalize(join(dirname(file), `${m[1] as string}.d.ts`)));
      queue.push(normalize(join(dirname(file), m[1] as string, 'index.d.ts')));
    }
  }
  return reached;
}

describe('@ktrdr/training public types', () => {
  it('do not import TF.js or WebGPU types (projects with skipLibCheck: false)', () => {
    const reached = reachableDeclarations();
    expect(reached.size).toBeGreaterThan(20);
    const offenders = [...reached]
      .filter(([, text]) => /from '@tensorflow\/|@webgpu\/|reference types="@webgpu/.test(text))
      .map(([file]) => file.slice(repo.length));
    expect(offenders).toEqual([]);
  }, 120_000);
});
