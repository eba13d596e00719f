import { describeValue } from './problems';
import type { FuzzyInputConfig, StrategyTrainingData } from './types';
import type { YamlCursor } from './yaml-cursor';

/**
 * Applies `nn_inputs` (KTRDR v3): `[{fuzzy_set: id, timeframes: all | [..]}]` says which fuzzy sets
 * feed the model, in which order, at which timeframes. Returns the fuzzy inputs in `nn_inputs`
 * order with their `timeframes` (absent for `all`); a fuzzy set no entry names is left out with a
 * warning. Without `nn_inputs`, every fuzzy set feeds the model at every timeframe. Undefined after
 * a reported problem.
 * @internal
 */
export function applyNnInputs(
  cursor: YamlCursor,
  fuzzyCursor: YamlCursor,
  fuzzySets: readonly FuzzyInputConfig[],
  trainingData: StrategyTrainingData | undefined,
): FuzzyInputConfig[] | undefined {
  if (cursor.missing) return [...fuzzySets];
  const declaredIds = fuzzyCursor.entries().map(([id]) => id);
  if (!cursor.isSeq) {
    cursor.report(
      `must be a list such as - {fuzzy_set: rsi_14, timeframes: all} (got ${describeValue(cursor.value())})`,
    );
    return undefined;
  }
  const chosen: FuzzyInputConfig[] = [];
  const named = new Set<string>();
  let ok = true;
  for (const item of cursor.items()) {
    const entry = readEntry(item, declaredIds, trainingData);
    if (entry === undefined) {
      ok = false;
      continue;
    }
    if (named.has(entry.id)) {
      item
        .child('fuzzy_set')
        .report(`fuzzy set ${entry.id} is listed twice; list its timeframes in one entry`);
      ok = false;
      continue;
    }
    named.add(entry.id);
    const input = fuzzySets.find((candidate) => candidate.input === entry.id);
    // Absent when its fuzzy set was reported already.
    if (input !== undefined)
      chosen.push(entry.timeframes ? { ...input, timeframes: entry.timeframes } : input);
  }
  if (named.size === 0 && ok) {
    cursor.report('must name at least one fuzzy set');
    return undefined;
  }
  for (const id of declaredIds) {
    if (!named.has(id)) {
      fuzzyCursor.warnKey(id, 'is not listed in nn_inputs, so the model does not read it');
    }
  }
  return ok ? chosen : undefined;
}

function readEntry(
  item: YamlCursor,
  declaredIds: readonly string[],
  trainingData: StrategyTrainingData | undefined,
): { id: string; timeframes?: string[] } | undefined {
  if (!item.isMap) {
    item.report(`must be {fuzzy_set, timeframes} (got ${describeValue(item.value())})`);
    return undefined;
  }
  let ok = true;
  for (const [key] of item.entries()) {
    if (key === 'fuzzy_set' || key === 'timeframes') continue;
    ok = false;
    item.reportKey(
      key,
      key === 'raw_indicator' || key === 'normalization'
        ? 'raw indicator inputs are not supported: only fuzzy sets feed the model (fuzzy_set, timeframes)'
        : 'unknown field; expected fuzzy_set, timeframes',
    );
  }
  if (!ok) return undefined;
  const idCursor = item.child('fuzzy_set');
  const id = idCursor.value();
  if (typeof id !== 'string') {
    (idCursor.missing ? item : idCursor).report(
      `needs the fuzzy set it feeds to the model (fuzzy_set: <id>; got ${describeValue(id)})`,
      idCursor.path,
    );
    return undefined;
  }
  if (!declaredIds.includes(id)) {
    idCursor.report(`names no fuzzy set "${id}"; fuzzy sets: ${declaredIds.join(', ') || '(none)'}`);
    return undefined;
  }
  const timeframes = readTimeframes(item.child('timeframes'), trainingData);
  if (timeframes === null) return undefined;
  return timeframes === undefined ? { id } : { id, timeframes };
}

/** `all` (or absent): undefined; a list: the timeframes; null after a reported problem. */
function readTimeframes(
  cursor: YamlCursor,
  trainingData: StrategyTrainingData | undefined,
): string[] | null | undefined {
  const value = cursor.value();
  if (cursor.missing || value === 'all') return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) {
    cursor.report(`must be all or a list of timeframes (got ${describeValue(value)})`);
    return null;
  }
  const declared = trainingData?.timeframes ?? [];
  const unknown = (list as string[]).filter((timeframe) => !declared.includes(timeframe));
  if (unknown.length > 0) {
    cursor.report(
      declared.length === 0
        ? 'names timeframes, but the strategy declares none: add training_data.timeframes'
        : `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the training timeframes ${declared.join(', ')}`,
    );
    return null;
  }
  // In training_data's order (by frequency), so `[4h, 1h]` and `[1h, 4h]` build the same columns.
  return declared.filter((timeframe) => (list as string[]).includes(timeframe));
}
