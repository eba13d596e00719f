/**
 * `node --import ./trace-imports.mjs ...`: appends every module URL the process resolves to the file
 * named by KTRDR_TRACE_IMPORTS, so a test can tell which packages a command loaded.
 */
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(${JSON.stringify(process.env.KTRDR_TRACE_IMPORTS ?? '/dev/null')}, result.url + '\\n');
      return result;
    }
  `)}`,
);
