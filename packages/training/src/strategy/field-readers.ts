import { describeValue } from './problems';
import type { YamlCursor } from './yaml-cursor';

/**
 * Readers that check one field and record a located problem when it is wrong. Each returns the
 * value, the default when the field is missing, or undefined after reporting (so validation goes on
 * and every problem in the file is collected in one pass).
 * @internal
 */

/** Numeric constraints for {@link readNumber}. */
export interface NumberRule {
  integer?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive bounds. */
  above?: number;
  below?: number;
}

/** The problem with `value` under `rule`, or undefined. @internal */
export function numberProblem(value: unknown, rule: NumberRule): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `must be a ${rule.integer === true ? 'whole number' : 'number'} (got ${describeValue(value)})`;
  }
  if (rule.integer === true && !Number.isInteger(value)) return `must be a whole number (got ${value})`;
  const lowOk =
    (rule.min === undefined || value >= rule.min) && (rule.above === undefined || value > rule.above);
  const highOk =
    (rule.max === undefined || value <= rule.max) && (rule.below === undefined || value < rule.below);
  if (lowOk && highOk) return undefined;
  const low = rule.min ?? rule.above;
  const high = rule.max ?? rule.below;
  if (low !== undefined && high !== undefined) {
    if (rule.above === undefined && rule.below === undefined)
      return `must be between ${low} and ${high} (got ${value})`;
    const lowSign = rule.above !== undefined ? '<' : '<=';
    const highSign = rule.below !== undefined ? '<' : '<=';
    return `must be between ${low} and ${high} (${low} ${lowSign} value ${highSign} ${high}; got ${value})`;
  }
  if (low !== undefined)
    return `must be ${rule.above !== undefined ? 'greater than' : 'at least'} ${low} (got ${value})`;
  return `must be ${rule.below !== undefined ? 'less than' : 'at most'} ${high} (got ${value})`;
}

/** A number field. */
export function readNumber(cursor: YamlCursor, rule: NumberRule, fallback: number): number;
export function readNumber(cursor: YamlCursor, rule: NumberRule, fallback?: number): number | undefined;
export function readNumber(cursor: YamlCursor, rule: NumberRule, fallback?: number): number | undefined {
  if (cursor.missing) return fallback;
  const value = cursor.value();
  const problem = numberProblem(value, rule);
  if (problem === undefined) return value as number;
  cursor.report(problem);
  return undefined;
}

/** A boolean field. */
export function readBoolean(cursor: YamlCursor, fallback: boolean): boolean | undefined {
  if (cursor.missing) return fallback;
  const value = cursor.value();
  if (typeof value === 'boolean') return value;
  cursor.report(`must be true or false (got ${describeValue(value)})`);
  return undefined;
}

/** A string field; `required` reports a missing one. */
export function readString(cursor: YamlCursor, options: { required: true }): string | undefined;
export function readString(cursor: YamlCursor, options: { fallback: string }): string | undefined;
export function readString(
  cursor: YamlCursor,
  options: { required?: true; fallback?: string },
): string | undefined {
  if (cursor.missing) {
    if (options.required === true) cursor.report('is required');
    return options.fallback;
  }
  const value = cursor.value();
  if (typeof value === 'string' && value.trim() !== '') return value;
  cursor.report(`must be a non-empty string (got ${describeValue(value)})`);
  return undefined;
}

/** One of `choices` (compared case-insensitively, returned in canonical spelling). */
export function readChoice<T extends string>(
  cursor: YamlCursor,
  choices: readonly T[],
  fallback: T,
): T | undefined {
  if (cursor.missing) return fallback;
  const value = cursor.value();
  const match = choices.find(
    (choice) => typeof value === 'string' && choice.toLowerCase() === value.toLowerCase(),
  );
  if (match !== undefined) return match;
  cursor.report(`must be one of ${choices.join(', ')} (got ${describeValue(value)})`);
  return undefined;
}

/** A list of strings (a single string is accepted as a one-item list). */
export function readStringList(cursor: YamlCursor): string[] | undefined {
  if (cursor.missing) return [];
  const value = cursor.value();
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  cursor.report(`must be a list of strings (got ${describeValue(value)})`);
  return undefined;
}

/**
 * Reports keys of a map section that are neither `known` nor `ignored`. `ignored` keys are accepted
 * for Python KTRDR compatibility and have no effect here.
 */
export function checkKeys(
  cursor: YamlCursor,
  known: readonly string[],
  ignored: readonly string[] = [],
): void {
  for (const [key] of cursor.entries()) {
    if (known.includes(key) || ignored.includes(key)) continue;
    cursor.reportKey(key, `unknown field; expected one of ${known.join(', ')}`);
  }
}

/** Reports a present field that is not a map; true when it is a map or missing. */
export function expectMap(cursor: YamlCursor): boolean {
  if (cursor.missing || cursor.isMap) return true;
  cursor.report(`must be a mapping of fields (got ${describeValue(cursor.value())})`);
  return false;
}
