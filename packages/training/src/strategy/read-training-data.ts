import { TIMEFRAMES, parseSymbol } from '@ktrdr/data';
import { checkKeys, expectMap, readNumber } from './field-readers';
import { describeValue } from './problems';
import type { StrategyConfig, StrategyTrainingData } from './types';
import type { YamlCursor } from './yaml-cursor';

/** `mode` spellings of Python KTRDR v2 (`single_symbol`) and v3 (`single`). */
const SINGLE_MODES = ['single', 'single_symbol', 'single_timeframe'];
const MULTI_MODES = ['multi', 'multi_symbol', 'multi_timeframe'];

/** What the `training_data` and `data` sections say; `ok` is false after a reported problem. */
export interface TrainingDataRead {
  ok: boolean;
  data?: StrategyConfig['data'];
  trainingData?: StrategyTrainingData;
}

/**
 * Reads `training_data` (Python KTRDR v2/v3: `symbols: {mode, list | symbol}`, `timeframes: {mode,
 * list | timeframe, base_timeframe}`) and the older `data: {symbols, timeframes}`. The training data
 * comes from `training_data`, else from `data`; symbols are spelled as the data layer stores them
 * (`EURUSD` becomes `EUR.USD`), and the base timeframe is the file's, else the highest frequency.
 * @internal
 */
export function readTrainingData(root: YamlCursor): TrainingDataRead {
  const dataCursor = root.child('data');
  const data = readData(dataCursor);
  const cursor = root.child('training_data');
  if (cursor.missing) {
    if (data === null) return { ok: false };
    if (data === undefined) return { ok: true };
    const trainingData = fromDataSection(dataCursor, data);
    return { ok: trainingData !== null, data, ...(trainingData ? { trainingData } : {}) };
  }
  if (!dataCursor.missing) {
    root.warnKey('data', 'training_data takes precedence, so this older section is not used for training');
  }
  const trainingData = readTrainingDataSection(cursor);
  return {
    ok: trainingData !== undefined && data !== null,
    ...(data ? { data } : {}),
    ...(trainingData ? { trainingData } : {}),
  };
}

function readTrainingDataSection(cursor: YamlCursor): StrategyTrainingData | undefined {
  if (!cursor.isMap) {
    cursor.report(
      `must be a mapping such as {symbols: {mode: multi_symbol, list: [AAPL, MSFT]}, timeframes: {mode: single_timeframe, timeframe: 1h}} (got ${describeValue(cursor.value())})`,
    );
    return undefined;
  }
  checkKeys(cursor, ['symbols', 'timeframes', 'history_required', 'date_range']);
  // Warm-up rows are dropped by the feature pipeline itself, whatever their number.
  readNumber(cursor.child('history_required'), { integer: true, min: 0 });
  if (!cursor.child('date_range').missing) {
    cursor.warnKey(
      'date_range',
      'is not applied: training reads the stored bars between the start and end dates of the request (--start-date / --end-date)',
    );
  }
  const symbols = readSymbols(cursor.child('symbols'));
  const timeframes = readTimeframes(cursor.child('timeframes'));
  if (symbols === undefined || timeframes === undefined) return undefined;
  return { symbols, ...timeframes };
}

/** `symbols`: a list, one symbol, or `{mode, list | symbol}`. */
function readSymbols(cursor: YamlCursor): string[] | undefined {
  const names = readModeList(cursor, 'symbol', 'AAPL');
  if (names === undefined) return undefined;
  const symbols: string[] = [];
  let ok = true;
  for (const { name, at } of names) {
    const symbol = normaliseSymbol(at, name);
    if (symbol === undefined) ok = false;
    else if (symbols.includes(symbol)) {
      at.report(`${symbol} is listed twice`);
      ok = false;
    } else symbols.push(symbol);
  }
  return ok ? symbols : undefined;
}

/** `timeframes`: a list, one timeframe, or `{mode, list | timeframe, base_timeframe}`. */
function readTimeframes(
  cursor: YamlCursor,
): Pick<StrategyTrainingData, 'timeframes' | 'base_timeframe'> | undefined {
  const names = readModeList(cursor, 'timeframe', '1h', ['base_timeframe']);
  if (names === undefined) return undefined;
  const timeframes: string[] = [];
  let ok = true;
  for (const { name, at } of names) {
    if (!checkTimeframe(at, name)) ok = false;
    else if (timeframes.includes(name)) {
      at.report(`${name} is listed twice`);
      ok = false;
    } else timeframes.push(name);
  }
  if (!ok) return undefined;
  const baseCursor = cursor.child('base_timeframe');
  if (baseCursor.missing) {
    return { timeframes: sortByFrequency(timeframes), base_timeframe: highestFrequency(timeframes) };
  }
  const base = baseCursor.value();
  if (typeof base !== 'string' || !timeframes.includes(base)) {
    baseCursor.report(
      `must be one of the listed timeframes ${timeframes.join(', ')} (got ${describeValue(base)})`,
    );
    return undefined;
  }
  return { timeframes: sortByFrequency(timeframes), base_timeframe: base };
}

/**
 * The names a `symbols` / `timeframes` entry lists, each with the cursor to blame: a plain list or
 * string, or Python's `{mode: single_* | multi_*, list | <one>}` (mode inferred when absent).
 */
function readModeList(
  cursor: YamlCursor,
  one: 'symbol' | 'timeframe',
  example: string,
  extraKeys: readonly string[] = [],
): Array<{ name: string; at: YamlCursor }> | undefined {
  if (cursor.missing) {
    cursor.report(`is required: e.g. {mode: single, ${one}: ${example}} or {mode: multi, list: [...]}`);
    return undefined;
  }
  if (!cursor.isMap) return stringItems(cursor);
  checkKeys(cursor, ['mode', 'list', one, ...extraKeys]);
  const modeCursor = cursor.child('mode');
  const mode = modeCursor.value();
  const listCursor = cursor.child('list');
  const oneCursor = cursor.child(one);
  if (mode !== undefined && (typeof mode !== 'string' || ![...SINGLE_MODES, ...MULTI_MODES].includes(mode))) {
    modeCursor.report(
      `must be single or multi (or Python's ${one === 'symbol' ? 'single_symbol / multi_symbol' : 'single_timeframe / multi_timeframe'}; got ${describeValue(mode)})`,
    );
    return undefined;
  }
  if (!listCursor.missing && !oneCursor.missing) {
    oneCursor.report(`give either ${one} or list, not both`);
    return undefined;
  }
  const items = oneCursor.missing ? stringItems(listCursor) : stringItems(oneCursor);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    cursor.report(`names no ${one}: give ${one}: ${example} or list: [...]`);
    return undefined;
  }
  if (typeof mode === 'string' && SINGLE_MODES.includes(mode) && items.length > 1) {
    modeCursor.report(`is ${mode} but ${items.length} ${one}s are listed; use mode: multi`);
    return undefined;
  }
  return items;
}

function stringItems(cursor: YamlCursor): Array<{ name: string; at: YamlCursor }> | undefined {
  const value = cursor.value();
  if (typeof value === 'string') return [{ name: value, at: cursor }];
  if (cursor.isSeq) {
    const items = cursor.items();
    const bad = items.find((item) => typeof item.value() !== 'string');
    if (bad === undefined) return items.map((item) => ({ name: item.value() as string, at: item }));
    bad.report(`must be a string (got ${describeValue(bad.value())})`);
    return undefined;
  }
  cursor.report(`must be a name or a list of names (got ${describeValue(value)})`);
  return undefined;
}

/** A symbol as the data layer stores it; reported at `at` when the data layer refuses it. */
function normaliseSymbol(at: YamlCursor, name: string): string | undefined {
  try {
    return parseSymbol(name);
  } catch (error) {
    at.report((error as Error).message);
    return undefined;
  }
}

function checkTimeframe(at: YamlCursor, name: string): boolean {
  if ((TIMEFRAMES as readonly string[]).includes(name)) return true;
  at.report(`unknown timeframe ${describeValue(name)}; known timeframes: ${TIMEFRAMES.join(' ')}`);
  return false;
}

/** Timeframes from the highest frequency (shortest bar) to the lowest. */
function sortByFrequency(timeframes: readonly string[]): string[] {
  const rank = (timeframe: string) => (TIMEFRAMES as readonly string[]).indexOf(timeframe);
  return [...timeframes].sort((a, b) => rank(a) - rank(b));
}

function highestFrequency(timeframes: readonly string[]): string {
  return sortByFrequency(timeframes)[0] as string;
}

/** The older `data` section; undefined when absent, null after a reported problem. */
function readData(cursor: YamlCursor): StrategyConfig['data'] | null | undefined {
  if (cursor.missing) return undefined;
  if (!expectMap(cursor)) return null;
  checkKeys(cursor, ['symbols', 'timeframes', 'history_required']);
  const history = readNumber(cursor.child('history_required'), { integer: true, min: 0 }, 0);
  const symbols = optionalItems(cursor.child('symbols'));
  const timeframes = optionalItems(cursor.child('timeframes'));
  if (symbols === undefined || timeframes === undefined || history === undefined) return null;
  if (!timeframes.every(({ name, at }) => checkTimeframe(at, name))) return null;
  return { symbols: symbols.map((s) => s.name), timeframes: timeframes.map((t) => t.name) };
}

function optionalItems(cursor: YamlCursor): Array<{ name: string; at: YamlCursor }> | undefined {
  return cursor.missing ? [] : stringItems(cursor);
}

/**
 * Training data from a `data` section: only when it names both symbols and timeframes (otherwise
 * the caller names them). Null after a reported problem.
 */
function fromDataSection(
  cursor: YamlCursor,
  data: NonNullable<StrategyConfig['data']>,
): StrategyTrainingData | null | undefined {
  if (data.symbols.length === 0 || data.timeframes.length === 0) return undefined;
  const items = cursor.child('symbols').isSeq ? cursor.child('symbols').items() : [cursor.child('symbols')];
  const symbols: string[] = [];
  for (const [i, name] of data.symbols.entries()) {
    const symbol = normaliseSymbol(items[i] ?? cursor, name);
    if (symbol === undefined) return null;
    if (!symbols.includes(symbol)) symbols.push(symbol);
  }
  const timeframes = sortByFrequency([...new Set(data.timeframes)]);
  return { symbols, timeframes, base_timeframe: timeframes[0] as string };
}
