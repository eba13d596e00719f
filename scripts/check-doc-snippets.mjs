#!/usr/bin/env node
// Type-checks every code block in the docs that is a full program: a ```ts block that imports from
// an @ktrdr package. A block whose first line is `// (continued)` extends the previous program of
// the same file (docs that build one example step by step). Programs are written to .docs-check/
// and compiled against the sources with the root tsconfig, so a doc example that no longer matches
// the API fails `npm run typecheck`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.docs-check');

function markdownFiles(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...markdownFiles(full));
    else if (name.endsWith('.md')) files.push(full);
  }
  return files;
}

const sources = [
  path.join(root, 'README.md'),
  ...markdownFiles(path.join(root, 'docs')),
  ...markdownFiles(path.join(root, 'packages')),
  ...markdownFiles(path.join(root, 'examples')),
];
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const written = [];
for (const file of sources) {
  const text = readFileSync(file, 'utf8');
  const blocks = [...text.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)].map((m) => m[1]);
  const programs = [];
  for (const code of blocks) {
    if (code.startsWith('// (continued)') && programs.length > 0)
      programs[programs.length - 1] += `\n${code}`;
    else if (/from '@ktrdr\//.test(code)) programs.push(code);
    // anything else is a fragment, not a full program
  }
  programs.forEach((code, i) => {
    const name = `${path.relative(root, file).replace(/[^A-Za-z0-9]+/g, '_')}_${i + 1}.ts`;
    writeFileSync(
      path.join(out, name),
      `// From ${path.relative(root, file)}, program ${i + 1}\n${code}\nexport {};\n`,
    );
    written.push(name);
  });
}
writeFileSync(
  path.join(out, 'tsconfig.json'),
  JSON.stringify(
    { extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] },
    null,
    2,
  ),
);
console.log(`Type-checking ${written.length} doc code blocks`);
try {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(out, 'tsconfig.json')],
    {
      stdio: 'inherit',
    },
  );
} catch {
  console.error('A code block in the docs does not type-check (see above; files in .docs-check/).');
  process.exit(1);
}
