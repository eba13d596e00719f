import { PRICE_SOURCES } from '../indicators/ohlcv';
import { findIndicator, indicatorNames } from '../indicators/registry';
import type { IndicatorDefinition, ParamSpec, ParamValue } from '../indicators/types';
import { numberProblem } from './field-readers';
import { describeValue } from './problems';
import type { IndicatorConfig } from './types';
import type { YamlCursor } from './yaml-cursor';

/** Keys of an indicator entry that are not indicator parameters (v2 list entries). */
const ENTRY_KEYS = ['name', 'feature_id', 'alias'] as const;

/**
 * Parameter spellings Python KTRDR accepts that our registry spells otherwise (v3 examples write
 * MACD's periods as `fast`, `slow`, `signal`).
 */
const PARAM_SPELLINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  MACD: { fast: 'fast_period', slow: 'slow_period', signal: 'signal_period' },
};

/** Indicator keys become column names, and `.` separates a key from an output in `fuzzy_sets`. */
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads `indicators`: a non-empty list of `{name, feature_id?, ...parameters}` (KTRDR v2), or a
 * mapping of ids to `{type, ...parameters}` (KTRDR v3). Each entry's indicator must be registered,
 * its parameters known and in range; keys (the v3 id, else feature_id, else the name as written)
 * must be unique because fuzzy sets refer to them.
 * @internal
 */
export function readIndicators(cursor: YamlCursor): IndicatorsRead {
  const read: IndicatorsRead = { configs: [], invalidKeys: new Set(), entries: new Map() };
  if (cursor.missing) {
    cursor.report(
      'is required: a list of indicators such as - name: rsi (or, v3, a map such as rsi_14: {type: rsi})',
    );
    return read;
  }
  if (!cursor.isSeq && !cursor.isMap) {
    cursor.report(
      `must be a list of {name, ...parameters} entries (KTRDR v2) or a map of ids to {type, ...parameters} (KTRDR v3; got ${describeValue(cursor.value())})`,
    );
    return read;
  }
  const items: Array<{ item: YamlCursor; id?: string }> = cursor.isMap
    ? cursor.entries().map(([id, item]) => ({ item, id }))
    : cursor.items().map((item) => ({ item }));
  if (items.length === 0) cursor.report('must list at least one indicator');
  const keyOwners = new Map<string, string>();
  for (const { item, id } of items) {
    const { config, key } = id === undefined ? readIndicator(item) : readV3Indicator(item, id);
    if (config === undefined) {
      if (key !== undefined) read.invalidKeys.add(key);
      continue;
    }
    const owner = keyOwners.get(config.key);
    if (owner !== undefined) {
      item.report(
        `indicator key "${config.key}" is already used by ${owner}; give one of them a distinct feature_id`,
      );
      continue;
    }
    keyOwners.set(config.key, item.path);
    read.configs.push(config);
    read.entries.set(config.key, item);
  }
  return read;
}

/** Valid indicators, plus keys of entries that were reported (so fuzzy sets on them are not blamed twice). */
export interface IndicatorsRead {
  configs: IndicatorConfig[];
  invalidKeys: Set<string>;
  /** Where each valid indicator was declared, by key. */
  entries: Map<string, YamlCursor>;
}

function readIndicator(item: YamlCursor): { config?: IndicatorConfig; key?: string } {
  if (!item.isMap) {
    item.report(`must be a mapping such as {name: rsi, period: 14} (got ${describeValue(item.value())})`);
    return {};
  }
  const nameCursor = item.child('name');
  const name = nameCursor.value();
  if (nameCursor.missing) {
    item.report('is missing its name (e.g. name: rsi)', `${item.path}.name`);
    return {};
  }
  if (typeof name !== 'string') {
    nameCursor.report(`must be an indicator name (got ${describeValue(name)})`);
    return {};
  }
  const definition = lookUp(nameCursor, name);
  if (definition === undefined) {
    const given = item.child('feature_id').value() ?? item.child('alias').value();
    return { key: typeof given === 'string' ? given : name };
  }
  const key = readKey(item, name);
  return finish(item, definition, key, ENTRY_KEYS);
}

/** A v3 entry `id: {type, ...parameters}`; the id is the key fuzzy sets name. */
function readV3Indicator(item: YamlCursor, id: string): { config?: IndicatorConfig; key?: string } {
  if (!item.isMap) {
    item.report(`must be a mapping such as {type: rsi, period: 14} (got ${describeValue(item.value())})`);
    return { key: id };
  }
  const typeCursor = item.child('type');
  const type = typeCursor.value();
  if (typeCursor.missing || typeof type !== 'string') {
    (typeCursor.missing ? item : typeCursor).report(
      `needs the indicator type (e.g. type: rsi; got ${describeValue(type)})`,
      typeCursor.path,
    );
    return { key: id };
  }
  const definition = lookUp(typeCursor, type);
  if (definition === undefined) return { key: id };
  if (!KEY_PATTERN.test(id)) {
    item.report(
      `indicator id ${describeValue(id)} cannot prefix feature columns (letters, digits and _, not starting with a digit)`,
    );
    return { key: id };
  }
  return finish(item, definition, id, ['type']);
}

/** The registered indicator called `name`, or undefined after reporting it at `at`. */
function lookUp(at: YamlCursor, name: string): IndicatorDefinition | undefined {
  const definition = findIndicator(name);
  if (definition === undefined) {
    at.report(`unknown indicator "${name}"; known indicators: ${indicatorNames().join(', ')}`);
  }
  return definition;
}

function finish(
  item: YamlCursor,
  definition: IndicatorDefinition,
  key: string | undefined,
  entryKeys: readonly string[],
): { config?: IndicatorConfig; key?: string } {
  const params = readParams(item, definition, entryKeys);
  if (key === undefined || params === undefined) return { key };
  const crossProblem = definition.checkParams?.(params);
  if (crossProblem !== undefined) {
    item.report(crossProblem);
    return { key };
  }
  return { config: { key, indicator: definition.name, params }, key };
}

function readKey(item: YamlCursor, name: string): string | undefined {
  const featureId = item.child('feature_id');
  const alias = item.child('alias');
  if (!featureId.missing && !alias.missing) {
    alias.report('give either feature_id or alias, not both');
    return undefined;
  }
  const given = featureId.missing ? alias : featureId;
  const key = given.missing ? name : given.value();
  if (typeof key === 'string' && KEY_PATTERN.test(key)) return key;
  const rule = 'letters, digits and _, not starting with a digit';
  if (given.missing) {
    item
      .child('name')
      .report(`${describeValue(name)} cannot prefix feature columns (${rule}); add a feature_id`);
  } else {
    given.report(`must be an identifier (${rule}) to prefix feature columns (got ${describeValue(key)})`);
  }
  return undefined;
}

function readParams(
  item: YamlCursor,
  definition: IndicatorDefinition,
  entryKeys: readonly string[],
): Record<string, ParamValue> | undefined {
  const params: Record<string, ParamValue> = {};
  let ok = true;
  for (const [key, cursor] of item.entries()) {
    if (entryKeys.includes(key)) continue;
    const spelled = PARAM_SPELLINGS[definition.name]?.[key] ?? key;
    const spec = definition.params.find((p) => p.name === spelled || (p.aliases ?? []).includes(spelled));
    if (spec === undefined && key === 'source') {
      if (!checkIgnoredSource(cursor, definition)) ok = false;
      continue;
    }
    if (spec === undefined) {
      const known = definition.params.map((p) => p.name);
      item.reportKey(
        key,
        known.length === 0
          ? `${definition.name} takes no parameters`
          : `${definition.name} has no parameter "${key}"; its parameters are ${known.join(', ')}`,
      );
      ok = false;
      continue;
    }
    if (spec.name in params) {
      cursor.report(`${spec.name} is given twice (as ${[spec.name, ...(spec.aliases ?? [])].join(' / ')})`);
      ok = false;
      continue;
    }
    const problem = paramProblem(spec, cursor.value());
    if (problem !== undefined) {
      cursor.report(problem);
      ok = false;
      continue;
    }
    params[spec.name] = cursor.value() as ParamValue;
  }
  for (const spec of definition.params) if (!(spec.name in params)) params[spec.name] = spec.default;
  return ok ? params : undefined;
}

/**
 * `source` on an indicator that reads several price columns (Stochastic, ADX, ATR...): Python KTRDR
 * accepts and ignores it, and its files write `source: close` out of habit. `close` is accepted
 * quietly (the indicator does read the close); any other source is a warning, since it has no effect.
 */
function checkIgnoredSource(cursor: YamlCursor, definition: IndicatorDefinition): boolean {
  const value = cursor.value();
  if (typeof value !== 'string' || !(PRICE_SOURCES as readonly string[]).includes(value)) {
    cursor.report(`must be one of ${PRICE_SOURCES.join(', ')} (got ${describeValue(value)})`);
    return false;
  }
  if (value !== 'close') {
    cursor.warn(
      `${definition.name} reads its own price columns, so source: ${value} has no effect (Python KTRDR ignores it too)`,
    );
  }
  return true;
}

function paramProblem(spec: ParamSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'integer':
    case 'number':
      return numberProblem(value, { integer: spec.kind === 'integer', min: spec.min, max: spec.max });
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false (got ${describeValue(value)})`;
    case 'source':
      return typeof value === 'string' && (PRICE_SOURCES as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${PRICE_SOURCES.join(', ')} (got ${describeValue(value)})`;
    case 'choice':
      return typeof value === 'string' && (spec.choices ?? []).includes(value)
        ? undefined
        : `must be one of ${(spec.choices ?? []).join(', ')} (got ${describeValue(value)})`;
  }
}
