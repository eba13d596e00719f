import { readNumber } from './field-readers';
import type { DecisionsConfig } from './types';
import type { YamlCursor } from './yaml-cursor';

/**
 * The `decisions` settings a backtest trades by: `confidence_threshold` (0 to 1) and
 * `filters.min_signal_separation` (hours; a top-level `min_signal_separation` is read too). Only
 * what the file sets is returned, so the backtest's own defaults (Python KTRDR's: 0.5 and 4 hours)
 * apply to the rest. Undefined after a reported problem; `{}` when the section sets neither.
 * @internal
 */
export function readDecisions(section: YamlCursor): DecisionsConfig | undefined {
  if (section.missing || !section.isMap) return {};
  const threshold = readNumber(section.child('confidence_threshold'), { min: 0, max: 1 });
  const filters = section.child('filters');
  const separationCursor =
    filters.isMap && !filters.child('min_signal_separation').missing
      ? filters.child('min_signal_separation')
      : section.child('min_signal_separation');
  const separation = readNumber(separationCursor, { min: 0 });
  if (
    (!section.child('confidence_threshold').missing && threshold === undefined) ||
    (!separationCursor.missing && separation === undefined)
  ) {
    return undefined;
  }
  return {
    ...(threshold === undefined ? {} : { confidence_threshold: threshold }),
    ...(separation === undefined ? {} : { min_signal_separation_hours: separation }),
  };
}
