import { homedir, tmpdir } from 'node:os';
import { resolve } from 'node:path';

/** A server folder an answer may mention, and the label it is shown as instead (`<data dir>`). */
export interface ServerFolder {
  /** Shown in place of the folder, e.g. `data dir` (written `<data dir>`). */
  label: string;
  path: string;
}

/** Rewrites a text so that it carries no absolute server path and no stack frame. */
export type PathRedactor = (text: string) => string;

// Top-level folders of absolute paths on Linux and macOS. Route paths (`/api/v1/data/...`,
// `/data/historical`) start elsewhere, so they stay readable in "no route" errors.
const SYSTEM_ROOTS = 'home|Users|tmp|var|private|root|opt|srv|mnt|media|usr|etc|run|Volumes|nix|snap';
// A path ends at whitespace, a quote, JSON's escape backslash, or closing punctuation.
const PATH_TAIL = String.raw`[^\s'"\x60,;)\]}>\\]*`;
const ABSOLUTE_PATH = new RegExp(
  String.raw`(?<![\w.~:/<-])(?:file://)?/(?:${SYSTEM_ROOTS})(?=[/\s'"\x60,;:)\]}\\]|$)${PATH_TAIL}`,
  'g',
);
// `C:\Users\...` as written, or as JSON escapes it (`C:\\Users\\...`).
const WINDOWS_PATH = /(?<![\w])[A-Za-z]:(?:\\\\|\\|\/)[^\s'"`,;)\]}>]*/g;
// A stack frame, raw or inside a JSON string (`\n    at fn (file.js:1:2)`).
const STACK_FRAME = /(?:\\n|\n)\s*at (?:[^"\\\n]|\\[^n])*/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The folders every server process has: its working directory, the user's home, the temp folder. */
function processFolders(): ServerFolder[] {
  return [
    { label: 'server dir', path: process.cwd() },
    { label: 'home', path: homedir() },
    { label: 'temp', path: tmpdir() },
  ];
}

/**
 * A redactor for answers and log lines (the servers'), and for what queue workers store in Redis.
 * Each known folder (the data and models folders, ...) is
 * shown by its label, so `No 1h data stored for NOPE in <data dir>` still says where to look; any
 * other absolute path under a system root becomes `<path>`, and stack frames are dropped. Callers
 * on this machine keep the full paths: only what crosses HTTP or reaches a log is rewritten.
 */
export function createPathRedactor(folders: readonly ServerFolder[] = []): PathRedactor {
  const known = [...folders, ...processFolders()]
    .map(({ label, path }) => ({ label, path: resolve(path) }))
    // `/` as a working directory would match every path; such folders are left to the generic rule.
    .filter(({ path }) => path.length > 1 && !/^[A-Za-z]:\\?$/.test(path))
    // Longest first: the data folder inside the home folder is shown as the data folder.
    .sort((a, b) => b.path.length - a.path.length);
  const replacements = known.flatMap(({ label, path }) => {
    // The form JSON gives a Windows path (`\` doubled) as well as the raw one.
    const forms = [...new Set([path, JSON.stringify(path).slice(1, -1)])];
    return forms.map((form) => ({
      pattern: new RegExp(`(?:file://)?${escapeRegExp(form)}(?=[/\\\\\\s'"\`,;:)\\]}]|$)`, 'g'),
      label: `<${label}>`,
    }));
  });
  return (text) => {
    // Every path and stack frame has a slash or backslash; bar answers (ISO dates, numbers) have
    // none, so the common large answer costs one scan.
    if (!text.includes('/') && !text.includes('\\')) return text;
    let out = text;
    for (const { pattern, label } of replacements) out = out.replace(pattern, label);
    return out.replace(STACK_FRAME, '').replace(ABSOLUTE_PATH, '<path>').replace(WINDOWS_PATH, '<path>');
  };
}
