import { fuzzyColumnName } from './fuzzy-column-name';
import { MEMBERSHIP_TYPES, membershipParameterProblem } from '../fuzzy/membership';
import type { FuzzySetDefinition, MembershipType } from '../fuzzy/types';
import { findIndicator } from '../indicators/registry';
import type { IndicatorDefinition } from '../indicators/types';
import { checkKeys, readChoice } from './field-readers';
import { describeValue } from './problems';
import type { IndicatorsRead } from './read-indicators';
import type { FuzzyInputConfig, IndicatorConfig } from './types';
import type { YamlCursor } from './yaml-cursor';

/** Set names become the tail of column names (`rsi_oversold`). */
const SET_NAME_PATTERN = /^[A-Za-z0-9_]+$/;

/** v3 fuzzy set ids prefix column names, like indicator keys. */
const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Keys of a fuzzy set entry that are not membership functions. */
const ENTRY_KEYS = ['indicator', 'input_transform'];

/**
 * Where a fuzzy set over a moving average's ratio (source / average) must have a parameter: the
 * ratio stays near 1 (a close 50% off its average is already extreme).
 */
const RATIO_RANGE = [0.5, 2] as const;

function nearOne(parameter: number): boolean {
  return parameter >= RATIO_RANGE[0] && parameter <= RATIO_RANGE[1];
}

/** Output names Python KTRDR uses that our registry spells otherwise (`macd_12_26_9.line`). */
const OUTPUT_SPELLINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  MACD: { line: 'macd', macd_line: 'macd', signal_line: 'signal', hist: 'histogram' },
  ADX: { di_plus: 'plus_di', di_minus: 'minus_di', dmp: 'plus_di', dmn: 'minus_di' },
};

/**
 * Reads `fuzzy_sets`. KTRDR v2: `{input: {setName: {type, parameters} | [a, b, c]}}`, where `input`
 * is an indicator key or `key.output`. KTRDR v3 (`v3`): `{id: {indicator: key | key.output,
 * setName: ...}}`, where the id prefixes the columns. Either may carry Python's
 * `input_transform: {type: price_ratio}`. Every input must name a declared indicator (and an output
 * it has), every set a valid membership function.
 * @internal
 */
export function readFuzzySets(cursor: YamlCursor, declared: IndicatorsRead, v3 = false): FuzzyInputConfig[] {
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
    const target = resolveEntry(cursor, input, setsCursor, declared, v3);
    const sets = readSets(setsCursor);
    if (target === undefined || sets === undefined) continue;
    if (target.output === 'ratio' && !sets.some((set) => set.parameters.some(nearOne))) {
      // Price levels here would give memberships of 0 on every bar: a feature that never fires.
      setsCursor.report(
        `reads ${target.indicatorKey}'s ratio (source / average, about 1.0), but no set has a parameter between ${RATIO_RANGE[0]} and ${RATIO_RANGE[1]}: for the average itself, write ${target.indicatorKey}.value`,
      );
      continue;
    }
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

/**
 * The indicator and output an entry reads: its `indicator` field when it has one (required in v3),
 * else its key. Problems are reported at that field, or at the key.
 */
function resolveEntry(
  parent: YamlCursor,
  input: string,
  entry: YamlCursor,
  declared: IndicatorsRead,
  v3: boolean,
): { indicatorKey: string; output: string } | undefined {
  const indicatorCursor = entry.child('indicator');
  if (indicatorCursor.missing) {
    if (v3) {
      entry.report(
        'needs the indicator it reads (v3 layout), e.g. indicator: rsi_14 or indicator: macd_12_26_9.histogram',
        indicatorCursor.path,
      );
      return undefined;
    }
    return resolveInput(input, declared, entry, (message) => parent.reportKey(input, message));
  }
  const reference = indicatorCursor.value();
  if (typeof reference !== 'string') {
    indicatorCursor.report(`must name a declared indicator (got ${describeValue(reference)})`);
    return undefined;
  }
  if (!ID_PATTERN.test(input)) {
    parent.reportKey(input, 'fuzzy set ids may only hold letters, digits and _ (they prefix column names)');
    return undefined;
  }
  return resolveInput(reference, declared, entry, (message) => indicatorCursor.report(message));
}

function resolveInput(
  reference: string,
  declared: IndicatorsRead,
  entry: YamlCursor,
  report: (message: string) => void,
): { indicatorKey: string; output: string } | undefined {
  const dot = reference.indexOf('.');
  const indicatorKey = dot < 0 ? reference : reference.slice(0, dot);
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
    report(`refers to no indicator named "${indicatorKey}"${hint}`);
    return undefined;
  }
  const definition = findIndicator(indicator.indicator);
  if (definition === undefined) return undefined;
  if (definition.looksAhead === true) {
    report(
      `${definition.name} looks ahead (its last pivot depends on later bars), so it cannot be a model input`,
    );
    return undefined;
  }
  const written = dot < 0 ? undefined : reference.slice(dot + 1);
  const transformed = readInputTransform(entry.child('input_transform'), indicator, definition, written);
  if (transformed === null) return undefined;
  const output =
    transformed ??
    (written === undefined
      ? definition.fuzzyInput
      : (OUTPUT_SPELLINGS[definition.name]?.[written] ?? written));
  if (!definition.outputs.includes(output)) {
    report(`${definition.name} has no output "${written}"; its outputs are ${definition.outputs.join(', ')}`);
    return undefined;
  }
  return { indicatorKey, output };
}

/**
 * Python's `input_transform: {type: price_ratio, reference: close}`: fuzzy sets over reference /
 * indicator, which is the `ratio` output of SMA and EMA (source / average). Undefined when absent,
 * null after a reported problem.
 */
function readInputTransform(
  cursor: YamlCursor,
  indicator: IndicatorConfig,
  definition: IndicatorDefinition,
  written: string | undefined,
): string | null | undefined {
  if (cursor.missing) return undefined;
  if (!cursor.isMap) {
    cursor.report(`must be {type: price_ratio, reference: close} (got ${describeValue(cursor.value())})`);
    return null;
  }
  checkKeys(cursor, ['type', 'reference']);
  const type = readChoice(cursor.child('type'), ['price_ratio'] as const, 'price_ratio');
  const reference = cursor.child('reference').value() ?? 'close';
  if (type === undefined) return null;
  const source = indicator.params['source'];
  if (!definition.outputs.includes('ratio') || written !== undefined || reference !== source) {
    cursor.report(
      `price_ratio is supported on SMA and EMA with reference equal to their source (${describeValue(source ?? 'close')}), where it reads their ratio output (source / average)`,
    );
    return null;
  }
  return 'ratio';
}

function readSets(cursor: YamlCursor): FuzzyInputConfig['sets'] | undefined {
  if (!cursor.isMap) {
    cursor.report(`must map set names to membership functions (got ${describeValue(cursor.value())})`);
    return undefined;
  }
  const entries = cursor.entries();
  if (entries.every(([name]) => ENTRY_KEYS.includes(name))) {
    cursor.report('must define at least one fuzzy set');
    return undefined;
  }
  const sets: Array<{ name: string } & FuzzySetDefinition> = [];
  let ok = true;
  for (const [name, setCursor] of entries) {
    if (ENTRY_KEYS.includes(name)) continue;
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
