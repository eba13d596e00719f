import { readFile } from 'node:fs/promises';
import { NotFoundError, ValidationError } from '@ktrdr/core';
import { LineCounter, parseDocument } from 'yaml';
import { DEFAULT_MODEL, DEFAULT_TRAINING } from './defaults';
import { expectMap, readString, readStringList } from './field-readers';
import { formatProblem, type StrategyProblem } from './problems';
import { readFuzzySets } from './read-fuzzy-sets';
import { readIndicators } from './read-indicators';
import { readModel } from './read-model';
import { readTrainingSection } from './read-training';
import type { StrategyConfig } from './types';
import { type ProblemSink, YamlCursor } from './yaml-cursor';

/** Timeframes the data layer knows (the Python KTRDR set). */
const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '2h', '3h', '4h', '1d', '1w', '1M'];

/**
 * Parses and validates a strategy in the Python KTRDR v2 YAML layout and applies defaults.
 *
 * Every problem in the file is collected before failing, each located as
 * `file:line:column field.path: message`.
 *
 * @param text YAML source.
 * @param fileName Name used in problem locations (default `strategy.yaml`).
 * @throws ValidationError listing every problem; `details.field` is the first offending field,
 *   `details.problems` all of them as {@link StrategyProblem}s.
 */
export function parseStrategy(text: string, fileName = 'strategy.yaml'): StrategyConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const sink: ProblemSink = { problems: [], lineCounter, document };
  for (const error of document.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    sink.problems.push({ field: '(yaml)', line, column: col, message: error.message });
  }
  const config = sink.problems.length === 0 ? readStrategy(YamlCursor.root(sink)) : undefined;
  if (config === undefined || sink.problems.length > 0) throw strategyError(fileName, sink.problems);
  return config;
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
  const name = readString(root.child('name'), { required: true });
  const description = readString(root.child('description'), { fallback: '' });
  const version = readVersion(root.child('version'));
  const data = readData(root.child('data'));
  const indicators = readIndicators(root.child('indicators'));
  const fuzzySets = readFuzzySets(root.child('fuzzy_sets'), indicators);
  const modelCursor = root.child('model');
  const model = modelCursor.missing ? DEFAULT_MODEL : readModel(modelCursor);
  const trainingCursor = root.child('training');
  const training = trainingCursor.missing ? DEFAULT_TRAINING : readTrainingSection(trainingCursor);
  if (name === undefined || description === undefined || version === undefined || model === undefined)
    return undefined;
  if (training === undefined || data === null) return undefined;
  return {
    name,
    description,
    version,
    ...(data === undefined ? {} : { data }),
    indicators: indicators.configs,
    fuzzy_sets: fuzzySets,
    model,
    training,
  };
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

/** The `data` section; undefined when absent, null after a reported problem. */
function readData(cursor: YamlCursor): StrategyConfig['data'] | null {
  if (cursor.missing) return undefined;
  if (!expectMap(cursor)) return null;
  const symbols = readStringList(cursor.child('symbols'));
  const timeframesCursor = cursor.child('timeframes');
  const timeframes = readStringList(timeframesCursor);
  const unknown = (timeframes ?? []).filter((timeframe) => !TIMEFRAMES.includes(timeframe));
  if (unknown.length > 0) {
    timeframesCursor.report(
      `unknown timeframe ${unknown.join(', ')}; known timeframes: ${TIMEFRAMES.join(' ')}`,
    );
    return null;
  }
  return symbols === undefined || timeframes === undefined ? null : { symbols, timeframes };
}

function strategyError(fileName: string, problems: readonly StrategyProblem[]): ValidationError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => `  ${formatProblem(fileName, problem)}`);
  return new ValidationError(`Invalid strategy ${fileName} (${count}):\n${lines.join('\n')}`, {
    details: { field: problems[0]?.field ?? '(root)', file: fileName, problems },
  });
}
