import { didYouMean } from './did-you-mean';
import { expectMap, readChoice, readString } from './field-readers';
import { describeValue } from './problems';
import type { YamlCursor } from './yaml-cursor';

/** Top-level sections this SDK reads. */
const READ_SECTIONS = [
  'name',
  'description',
  'version',
  'training_data',
  'data',
  'indicators',
  'fuzzy_sets',
  'nn_inputs',
  'model',
  'training',
];

/**
 * Sections Python KTRDR reads for research notes, deployment, decisions at trading time and
 * backtests. Training does not use them (in Python either); they are checked for shape and accepted.
 */
const PYTHON_SECTIONS = [
  'hypothesis',
  'scope',
  'deployment',
  'decisions',
  'orchestrator',
  'risk_management',
  'backtesting',
];

/** Python KTRDR sections that change what a model learns, which this SDK cannot honour. */
const UNSUPPORTED_SECTIONS: Readonly<Record<string, string>> = {
  context_data:
    'context data series (sentiment, other markets) are not supported: models read the fuzzy sets of their own bars',
};

/**
 * Checks the top level: an unsupported Python section is an error, an unknown key a warning with a
 * did-you-mean (Python KTRDR ignores unknown keys, so refusing the file would be harsher than the
 * original), and the Python-only sections are checked for shape. False after a reported problem.
 * @internal
 */
export function checkTopLevel(root: YamlCursor): boolean {
  let ok = true;
  const known = [...READ_SECTIONS, ...PYTHON_SECTIONS];
  for (const [key] of root.entries()) {
    const unsupported = UNSUPPORTED_SECTIONS[key];
    if (unsupported !== undefined) {
      root.reportKey(key, unsupported);
      ok = false;
    } else if (!known.includes(key)) {
      root.warnKey(key, `unknown section, ignored${didYouMean(key, known)}`);
    }
  }
  if (readString(root.child('hypothesis'), { fallback: '' }) === undefined) ok = false;
  const scope = readChoice(
    root.child('scope'),
    ['universal', 'symbol_group', 'symbol_specific'] as const,
    'symbol_specific',
  );
  if (scope === undefined) ok = false;
  for (const section of ['deployment', 'decisions', 'orchestrator', 'risk_management', 'backtesting']) {
    if (!expectMap(root.child(section))) ok = false;
  }
  const outputFormat = root.child('decisions').child('output_format');
  const format = outputFormat.value();
  if (!outputFormat.missing && format !== 'classification') {
    outputFormat.report(
      format === 'regression'
        ? 'regression models are not supported: models are BUY/HOLD/SELL classifiers (output_format: classification)'
        : `must be classification (got ${describeValue(format)})`,
    );
    ok = false;
  }
  return ok;
}
