/** One thing wrong with a strategy file, located in the file. */
export interface StrategyProblem {
  /** Dotted path of the offending field, e.g. `model.architecture.dropout` or `indicators[2].period`. */
  readonly field: string;
  /** 1-based line of the offending node (or of its parent when the field is missing). */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  readonly message: string;
}

/** `strategy.yaml:12:5 model.architecture.dropout: must be between 0 and 1 (got 1.5)`. */
export function formatProblem(fileName: string, problem: StrategyProblem): string {
  return `${fileName}:${problem.line}:${problem.column} ${problem.field}: ${problem.message}`;
}

/**
 * `model.input_size (line 12): ...`: a warning names its field and line but not the file, because
 * warnings are kept in a model's metadata and shown over HTTP, where a server's paths must not appear.
 */
export function formatWarning(warning: StrategyProblem): string {
  return `${warning.field} (line ${warning.line}): ${warning.message}`;
}

/** Renders a value for "(got ...)": strings quoted, everything else as YAML-ish JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
