import { readFile } from 'node:fs/promises';
import { NotFoundError, ValidationError } from '@ktrdr/core';
import { LineCounter, parseDocument } from 'yaml';
import { DEFAULT_MODEL, DEFAULT_TRAINING } from './defaults';
import { readString } from './field-readers';
import { formatProblem, formatWarning, type StrategyProblem } from './problems';
import { readFuzzySets } from './read-fuzzy-sets';
import { type IndicatorsRead, readIndicators } from './read-indicators';
import { readModel } from './read-model';
import { applyNnInputs } from './read-nn-inputs';
import { readDecisions } from './read-decisions';
import { checkTopLevel } from './read-python-sections';
import { readTrainingSection } from './read-training';
import { readTrainingData } from './read-training-data';
import type { FuzzyInputConfig, StrategyConfig } from './types';
import { type ProblemSink, YamlCursor } from './yaml-cursor';

/**
 * Parses and validates a strategy in the Python KTRDR v2 or v3 YAML layout (v3: `indicators` as a
 * map of ids, `fuzzy_sets` naming their `indicator`, `nn_inputs`) and applies defaults.
 *
 * Every problem in the file is collected before failing, each located as
 * `file:line:column field.path: message`. Keys accepted with no effect are listed in
 * {@link StrategyConfig.warnings}.
 *
 * @param text YAML source.
 * @param fileName Name used in problem locations: the file's path where there is one (default
 *   `strategy.yaml`, for text that comes from no file).
 * @throws ValidationError listing every problem; `details.field` is the first offending field,
 *   `details.problems` all of them as {@link StrategyProblem}s.
 */
export function parseStrategy(text: string, fileName = 'strategy.yaml'): StrategyConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const sink: ProblemSink = { problems: [], warnings: [], lineCounter, document };
  for (const error of document.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    sink.problems.push({ field: '(yaml)', line, column: col, message: error.message });
  }
  const config = sink.problems.length === 0 ? readStrategy(YamlCursor.root(sink)) : undefined;
  if (config === undefined || sink.problems.length > 0) throw strategyError(fileName, sink.problems);
  const warnings = [...sink.warnings].sort((a, b) => a.line - b.line || a.column - b.column);
  return warnings.length === 0 ? config : { ...config, warnings: warnings.map(formatWarning) };
}

/**
 * Reads, parses and validates the strategy file at `path` (see {@link parseStrategy}); problem
 * locations name `path` as given.
 * @throws NotFoundError when the file does not exist; ValidationError when it is invalid.
 */
export async function loadStrategyFile(path: string): Promise<StrategyConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`Strategy file not found: ${path}`, { details: { path }, cause });
    }
    throw cause;
  }
  return parseStrategy(text, path);
}

function readStrategy(root: YamlCursor): StrategyConfig | undefined {
  if (root.missing || !root.isMap) {
    root.report(
      'a strategy file must be a YAML mapping with name, indicators, fuzzy_sets, model and training',
    );
    return undefined;
  }
  const topLevelOk = checkTopLevel(root);
  const name = readString(root.child('name'), { required: true });
  const description = readString(root.child('description'), { fallback: '' });
  const version = readVersion(root.child('version'));
  const { ok: dataOk, data, trainingData } = readTrainingData(root);
  const indicatorsCursor = root.child('indicators');
  const indicators = readIndicators(indicatorsCursor);
  const fuzzyCursor = root.child('fuzzy_sets');
  const allFuzzySets = readFuzzySets(fuzzyCursor, indicators, indicatorsCursor.isMap);
  const fuzzySets = applyNnInputs(root.child('nn_inputs'), fuzzyCursor, allFuzzySets, trainingData);
  if (fuzzySets !== undefined) warnUnread(indicators, fuzzySets);
  const modelCursor = root.child('model');
  const model = modelCursor.missing ? DEFAULT_MODEL : readModel(modelCursor);
  const trainingCursor = root.child('training');
  const training = trainingCursor.missing ? DEFAULT_TRAINING : readTrainingSection(trainingCursor);
  const decisions = readDecisions(root.child('decisions'));
  if (name === undefined || description === undefined || version === undefined || model === undefined)
    return undefined;
  if (training === undefined || fuzzySets === undefined || decisions === undefined) return undefined;
  if (!dataOk || !topLevelOk) return undefined;
  return {
    name,
    description,
    version,
    ...(data === undefined ? {} : { data }),
    ...(trainingData === undefined ? {} : { training_data: trainingData }),
    indicators: indicators.configs,
    fuzzy_sets: fuzzySets,
    model,
    training,
    ...(Object.keys(decisions).length === 0 ? {} : { decisions }),
  };
}

/** An indicator no model input reads is computed for nothing: Python KTRDR warns about it too. */
function warnUnread(indicators: IndicatorsRead, inputs: readonly FuzzyInputConfig[]): void {
  for (const [key, entry] of indicators.entries) {
    if (!inputs.some((input) => input.indicatorKey === key)) {
      entry.warn('no fuzzy set the model reads uses this indicator, so it has no effect');
    }
  }
}

function readVersion(cursor: YamlCursor): string | undefined {
  if (cursor.missing) return '1.0';
  const value = cursor.value();
  // `version: 1.0` is the number 1 to YAML; keep what the author wrote.
  if (typeof value === 'number') return cursor.sourceText();
  if (typeof value === 'string' && value.trim() !== '') return value;
  cursor.report('must be a version such as "1.0"');
  return undefined;
}

function strategyError(fileName: string, problems: readonly StrategyProblem[]): ValidationError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => `  ${formatProblem(fileName, problem)}`);
  return new ValidationError(`Invalid strategy ${fileName} (${count}):\n${lines.join('\n')}`, {
    details: { field: problems[0]?.field ?? '(root)', file: fileName, problems },
  });
}
