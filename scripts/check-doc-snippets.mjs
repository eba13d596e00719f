#!/usr/bin/env node
// Type-checks every code block in the docs that is a full program: a ```ts block that imports from
// an @ktrdr package. A block whose first line is `// (continued)` extends the previous program of
// the same file (docs that build one example step by step). Programs are written to .docs-check/
// and compiled against the sources with the root tsconfig, so a doc example that no longer matches
// the API fails `npm run typecheck`. Then the getting-started scripts are compiled once more in a
// fresh project set up by that page's own lines (see checkFreshProject).
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
const gettingStarted = path.join(root, 'docs', 'getting-started.md');
let gettingStartedPrograms = [];
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
  if (file === gettingStarted) gettingStartedPrograms = programs;
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

/**
 * The getting-started page's scripts, in a project made by the page's own setup lines (`npm init -y`,
 * `npm pkg set ...`) outside the repository: `module: nodenext` takes the module format from that
 * project's package.json, as tsx and Node do, so top-level `await` in a CommonJS project fails here.
 * The @ktrdr imports are left untyped (the check above types them); only the format is checked.
 */
function checkFreshProject() {
  const text = readFileSync(gettingStarted, 'utf8');
  const setup = [...text.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .find((block) => block.includes('npm init -y'))
    ?.split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => /^npm (init|pkg set)\b/.test(line));
  if (setup === undefined || setup.length === 0) {
    console.error('docs/getting-started.md has no `npm init -y` setup block to check its scripts against.');
    process.exit(1);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ktrdr-fresh-project-'));
  try {
    for (const line of setup) execSync(line, { cwd: dir, stdio: 'ignore' });
    gettingStartedPrograms.forEach((code, i) => writeFileSync(path.join(dir, `script-${i + 1}.ts`), code));
    writeFileSync(path.join(dir, 'untyped-imports.d.ts'), "declare module '*';\n");
    const compilerOptions = {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['esnext', 'dom'],
      types: [],
      noEmit: true,
    };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
    console.log(
      `Type-checking ${gettingStartedPrograms.length} getting-started scripts in a fresh project (${setup.join('; ')})`,
    );
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      stdio: 'inherit',
    });
  } catch {
    console.error(
      'A getting-started script does not compile in a project set up as the page says (see above).',
    );
    process.exit(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
checkFreshProject();
