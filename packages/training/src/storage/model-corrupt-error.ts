import { ValidationError } from '@ktrdr/core';

/**
 * A stored model whose file cannot be read as written (a torn `metadata.json`, a `metrics.json`
 * that is not JSON, one missing from a complete version). A `validation` error: the request is
 * fine, the stored input is bad, so the API answers 400 and the CLI exits 2, never 500. Message and
 * details name the model and the file relative to the models folder, never an absolute path, so the
 * error can go over HTTP.
 */
export class ModelCorruptError extends ValidationError {
  constructor(
    /** `{strategy}/{symbol}_{tf}_v{N}`: the version folder, relative to the models folder. */
    readonly model: string,
    /** The damaged file, relative to the models folder. */
    readonly file: string,
    problem: string,
    cause?: unknown,
  ) {
    super(
      `Model ${model} is damaged: ${file} ${problem}. Train it again, or delete the folder ${model} in the models folder to remove it.`,
      { details: { model, file, reason: 'corrupt' }, cause },
    );
  }
}

/** What went wrong reading a model file, in words for {@link ModelCorruptError}. */
export function fileProblem(error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'is missing';
  if (error instanceof SyntaxError) return `is not valid JSON (${error.message})`;
  const code = (error as NodeJS.ErrnoException).code;
  return `cannot be read${code === undefined ? '' : ` (${code})`}`;
}
