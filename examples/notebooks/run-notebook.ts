/**
 * Runs a tslab notebook's code cells as one script, the way the kernel would: in order, sharing
 * their declarations, with top-level await, printing the value of each cell's last expression
 * (through `util.inspect`, as tslab does) and recording `tslab.display` calls. For machines
 * without Jupyter, and for the examples tests.
 *
 *   npx tsx examples/notebooks/run-notebook.ts examples/notebooks/bars-and-training.ipynb [--out DIR]
 *
 * With `--out DIR`, each display is also written to DIR as `display-<n>.<ext>` (html, svg, txt...).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { recordedDisplays } from './support/tslab-shim';

interface NotebookCell {
  cell_type: string;
  source: string | string[];
}

const SHIM = fileURLToPath(new URL('./support/tslab-shim.ts', import.meta.url));
const EXTENSIONS: Readonly<Record<string, string>> = {
  'text/html': 'html',
  'image/svg+xml': 'svg',
  'text/markdown': 'md',
  'text/plain': 'txt',
  'application/json': 'json',
};

/**
 * One cell as script text: `tslab` imports point at the recorder, and the last statement, when it
 * is an expression, is printed like the kernel prints it (awaited when a promise; nothing for
 * `undefined` or `null`).
 */
function cellScript(source: string, index: number): string {
  const code = source.replace(/(from\s+)(['"])tslab\2/g, `$1${JSON.stringify(pathToFileURL(SHIM).href)}`);
  const file = ts.createSourceFile(`cell-${index}.ts`, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const last = file.statements.at(-1);
  if (last === undefined || !ts.isExpressionStatement(last)) return code;
  const expression = last.expression.getText(file);
  return `${code.slice(0, last.getStart(file))}await __showCellValue(${expression});${code.slice(last.getEnd())}`;
}

/** Writes a script of the notebook's code cells, runs it in this process, and returns what it displayed. */
export async function runNotebook(notebookPath: string, outDir?: string): Promise<typeof recordedDisplays> {
  const notebook = JSON.parse(await readFile(notebookPath, 'utf8')) as { cells: NotebookCell[] };
  const cells = notebook.cells
    .filter((cell) => cell.cell_type === 'code')
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
  const script = [
    `import { inspect as __inspect } from 'node:util';`,
    // tslab prints a cell's value with console.log, i.e. util.inspect for objects.
    `async function __showCellValue(value: unknown): Promise<void> {`,
    `  const settled = await value;`,
    `  if (settled !== undefined && settled !== null) console.log(typeof settled === 'string' ? settled : __inspect(settled));`,
    `}`,
    ...cells.map(
      (source, i) => `// ---- cell ${i + 1}\nconsole.log('[cell ${i + 1}]');\n${cellScript(source, i + 1)}`,
    ),
    'export {};',
  ].join('\n');
  const dir = await mkdtemp(path.join(tmpdir(), 'ktrdr-notebook-'));
  try {
    // .mts: an ES module wherever the folder is, for top-level await.
    const file = path.join(dir, `${path.basename(notebookPath, '.ipynb')}.mts`);
    await writeFile(file, script);
    await import(pathToFileURL(file).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (outDir !== undefined) {
    await mkdir(outDir, { recursive: true });
    await Promise.all(
      recordedDisplays.map((shown, i) =>
        writeFile(path.join(outDir, `display-${i + 1}.${EXTENSIONS[shown.mime] ?? 'bin'}`), shown.content),
      ),
    );
  }
  return recordedDisplays;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [notebookPath, flag, outDir] = process.argv.slice(2);
  if (notebookPath === undefined || (flag !== undefined && (flag !== '--out' || outDir === undefined))) {
    process.stderr.write('usage: npx tsx examples/notebooks/run-notebook.ts NOTEBOOK.ipynb [--out DIR]\n');
    process.exit(2);
  }
  await runNotebook(notebookPath, outDir);
}
