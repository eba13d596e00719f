/**
 * `node --import ./trace-imports.mjs ...`: appends every module the process resolves, ESM imports
 * and CommonJS requires alike, to the file named by KTRDR_TRACE_IMPORTS (one URL or path a line),
 * so a test can tell which packages a command loaded.
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const traceFile = process.env.KTRDR_TRACE_IMPORTS ?? '/dev/null';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(${JSON.stringify(traceFile)}, result.url + '\\n');
      return result;
    }
  `)}`,
);

// The bin is CommonJS: its requires do not pass through the ESM hooks above.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const resolved = resolveFilename.apply(this, args);
  appendFileSync(traceFile, `${resolved}\n`);
  return resolved;
};
