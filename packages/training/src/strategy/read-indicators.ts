import { PRICE_SOURCES } from '../features/ohlcv';
import { findIndicator, indicatorNames } from '../indicators/registry';
import type { IndicatorDefinition, ParamSpec, ParamValue } from '../indicators/types';
import { numberProblem } from './field-readers';
import { describeValue } from './problems';
import type { IndicatorConfig } from './types';
import type { YamlCursor } from './yaml-cursor';

/** Keys of an indicator entry that are not indicator parameters. */
const ENTRY_KEYS = ['name', 'feature_id', 'alias'] as const;

/** Indicator keys become column names, and `.` separates a key from an output in `fuzzy_sets`. */
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads `indicators`: a non-empty list of `{name, feature_id?, ...parameters}`. Each entry's name
 * must be registered, its parameters known and in range; keys (feature_id, or the name as written)
 * must be unique because fuzzy sets refer to them.
 * @internal
 */
export function readIndicators(cursor: YamlCursor): IndicatorsRead {
  const read: IndicatorsRead = { configs: [], invalidKeys: new Set() };
  if (cursor.missing) {
    cursor.report('is required: a list of indicators such as - name: rsi');
    return read;
  }
  if (!cursor.isSeq) {
    cursor.report(
      `must be a list of {name, ...parameters} entries (KTRDR v2 layout; got ${describeValue(cursor.value())})`,
    );
    return read;
  }
  const items = cursor.items();
  if (items.length === 0) cursor.report('must list at least one indicator');
  const keyOwners = new Map<string, string>();
  for (const item of items) {
    const { config, key } = readIndicator(item);
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
  }
  return read;
}

/** Valid indicators, plus keys of entries that were reported (so fuzzy sets on them are not blamed twice). */
export interface IndicatorsRead {
  configs: IndicatorConfig[];
  invalidKeys: Set<string>;
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
  const definition = findIndicator(name);
  if (definition === undefined) {
    nameCursor.report(`unknown indicator "${name}"; known indicators: ${indicatorNames().join(', ')}`);
    const given = item.child('feature_id').value() ?? item.child('alias').value();
    return { key: typeof given === 'string' ? given : name };
  }
  const key = readKey(item, name);
  const params = readParams(item, definition);
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
): Record<string, ParamValue> | undefined {
  const params: Record<string, ParamValue> = {};
  let ok = true;
  for (const [key, cursor] of item.entries()) {
    if ((ENTRY_KEYS as readonly string[]).includes(key)) continue;
    const spec = definition.params.find((p) => p.name === key || (p.aliases ?? []).includes(key));
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
  }
}
