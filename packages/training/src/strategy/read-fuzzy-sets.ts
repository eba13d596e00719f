import { fuzzyColumnName } from '../features/feature-spec';
import { MEMBERSHIP_TYPES, membershipParameterProblem } from '../fuzzy/membership';
import type { FuzzySetDefinition, MembershipType } from '../fuzzy/types';
import { findIndicator } from '../indicators/registry';
import { checkKeys, readChoice } from './field-readers';
import { describeValue } from './problems';
import type { IndicatorsRead } from './read-indicators';
import type { FuzzyInputConfig } from './types';
import type { YamlCursor } from './yaml-cursor';

/** Set names become the tail of column names (`rsi_oversold`). */
const SET_NAME_PATTERN = /^[A-Za-z0-9_]+$/;

/**
 * Reads `fuzzy_sets`: `{input: {setName: {type, parameters} | [a, b, c]}}`, where `input` is an
 * indicator key or `key.output`. Every input must name a declared indicator (and an output it has),
 * every set a valid membership function.
 * @internal
 */
export function readFuzzySets(cursor: YamlCursor, declared: IndicatorsRead): FuzzyInputConfig[] {
  if (cursor.missing) {
    cursor.report('is required: fuzzy sets for at least one indicator (e.g. rsi: {oversold: [0, 20, 35]})');
    return [];
  }
  if (!cursor.isMap) {
    cursor.report(`must map indicator keys to their fuzzy sets (got ${describeValue(cursor.value())})`);
    return [];
  }
  const entries = cursor.entries();
  if (entries.length === 0) cursor.report('must define fuzzy sets for at least one indicator');
  const inputs: FuzzyInputConfig[] = [];
  const columnOwners = new Map<string, string>();
  for (const [input, setsCursor] of entries) {
    const target = resolveInput(cursor, input, declared);
    const sets = readSets(setsCursor);
    if (target === undefined || sets === undefined) continue;
    // `macd.histogram` + `x` and an indicator keyed `macd_histogram` + `x` would both be `macd_histogram_x`.
    const clash = sets.find((set) => columnOwners.has(fuzzyColumnName(input, set.name)));
    if (clash !== undefined) {
      const column = fuzzyColumnName(input, clash.name);
      setsCursor
        .child(clash.name)
        .report(`feature column ${column} is already produced by ${columnOwners.get(column)}`);
      continue;
    }
    for (const set of sets)
      columnOwners.set(fuzzyColumnName(input, set.name), `${setsCursor.path}.${set.name}`);
    inputs.push({ input, ...target, sets });
  }
  return inputs;
}

function resolveInput(
  parent: YamlCursor,
  input: string,
  declared: IndicatorsRead,
): { indicatorKey: string; output: string } | undefined {
  const dot = input.indexOf('.');
  const indicatorKey = dot < 0 ? input : input.slice(0, dot);
  // Its indicator entry was already reported; a second problem here would only be noise.
  if (declared.invalidKeys.has(indicatorKey)) return undefined;
  const indicator = declared.configs.find((candidate) => candidate.key === indicatorKey);
  if (indicator === undefined) {
    const keys = [...declared.configs.map((candidate) => candidate.key), ...declared.invalidKeys];
    const sameButCase = keys.find((key) => key.toLowerCase() === indicatorKey.toLowerCase());
    const hint =
      sameButCase !== undefined
        ? `; keys are case-sensitive, did you mean "${sameButCase}"?`
        : `; declared indicator keys: ${keys.join(', ') || '(none)'}`;
    parent.reportKey(input, `refers to no indicator named "${indicatorKey}"${hint}`);
    return undefined;
  }
  const definition = findIndicator(indicator.indicator);
  if (definition === undefined) return undefined;
  if (definition.looksAhead === true) {
    parent.reportKey(
      input,
      `${definition.name} looks ahead (its last pivot depends on later bars), so it cannot be a model input`,
    );
    return undefined;
  }
  const output = dot < 0 ? definition.fuzzyInput : input.slice(dot + 1);
  if (!definition.outputs.includes(output)) {
    parent.reportKey(
      input,
      `${definition.name} has no output "${output}"; its outputs are ${definition.outputs.join(', ')}`,
    );
    return undefined;
  }
  return { indicatorKey, output };
}

function readSets(cursor: YamlCursor): FuzzyInputConfig['sets'] | undefined {
  if (!cursor.isMap) {
    cursor.report(`must map set names to membership functions (got ${describeValue(cursor.value())})`);
    return undefined;
  }
  const entries = cursor.entries();
  if (entries.length === 0) {
    cursor.report('must define at least one fuzzy set');
    return undefined;
  }
  const sets: Array<{ name: string } & FuzzySetDefinition> = [];
  let ok = true;
  for (const [name, setCursor] of entries) {
    if (!SET_NAME_PATTERN.test(name)) {
      cursor.reportKey(name, 'set names may only hold letters, digits and _ (they become column names)');
      ok = false;
      continue;
    }
    const set = readSet(setCursor);
    if (set === undefined) ok = false;
    else sets.push({ name, ...set });
  }
  return ok ? sets : undefined;
}

function readSet(cursor: YamlCursor): FuzzySetDefinition | undefined {
  // Shorthand: `oversold: [0, 20, 35]` is a triangular set.
  if (cursor.isSeq) return readParameters(cursor, 'triangular');
  if (!cursor.isMap) {
    cursor.report(`must be {type, parameters} or a list [a, b, c] (got ${describeValue(cursor.value())})`);
    return undefined;
  }
  checkKeys(cursor, ['type', 'parameters']);
  const type = readChoice<MembershipType>(cursor.child('type'), MEMBERSHIP_TYPES, 'triangular');
  const parameters = cursor.child('parameters');
  if (parameters.missing) {
    cursor.report('is missing its parameters', `${cursor.path}.parameters`);
    return undefined;
  }
  return type === undefined ? undefined : readParameters(parameters, type);
}

function readParameters(cursor: YamlCursor, type: MembershipType): FuzzySetDefinition | undefined {
  const value = cursor.value();
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) {
    cursor.report(`${type} parameters must be a list of numbers (got ${describeValue(value)})`);
    return undefined;
  }
  const problem = membershipParameterProblem(type, value as number[]);
  if (problem !== undefined) {
    cursor.report(problem);
    return undefined;
  }
  return { type, parameters: value as number[] };
}
