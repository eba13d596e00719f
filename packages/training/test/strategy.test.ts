import { fileURLToPath } from 'node:url';
import { NotFoundError, ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { prepareTrainingData, sliceRows } from '../src/features/index';
import { loadStrategyFile, parseStrategy, type StrategyProblem } from '../src/strategy/index';
import { randomWalkBars } from './support/random-walk-bars';

const samplePath = fileURLToPath(new URL('../strategies/neuro-fuzzy-sample.yaml', import.meta.url));
const pythonV2Path = fileURLToPath(new URL('./fixtures/python-v2-strategy.yaml', import.meta.url));

/** The ValidationError `parseStrategy(text)` throws, with its located problems. */
function problemsOf(
  text: string,
  fileName = 'strategy.yaml',
): { error: ValidationError; problems: StrategyProblem[] } {
  try {
    parseStrategy(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    return { error: validation, problems: validation.details['problems'] as StrategyProblem[] };
  }
  throw new Error('expected the strategy to be rejected');
}

/** A valid strategy to break one field at a time; line numbers below refer to this text. */
const VALID = `name: probe
indicators:
  - name: rsi
    period: 14
  - name: macd
    fast_period: 12
    slow_period: 26
fuzzy_sets:
  rsi:
    low: [0, 20, 40]
    high: { type: trapezoidal, parameters: [60, 80, 100, 100] }
model:
  architecture:
    hidden_layers: [16]
    dropout: 0.2
training:
  data_split:
    train: 0.7
    validation: 0.15
    test: 0.15
`;

describe('the shipped sample strategy', () => {
  it('parses with its indicators, fuzzy inputs, model and labels', async () => {
    const strategy = await loadStrategyFile(samplePath);
    expect(strategy.name).toBe('neuro_fuzzy_sample');
    expect(strategy.version).toBe('1.0');
    expect(strategy.indicators.map((i) => [i.key, i.indicator])).toEqual([
      ['rsi', 'RSI'],
      ['macd', 'MACD'],
      ['sma', 'SMA'],
      ['stochastic', 'Stochastic'],
      ['roc', 'ROC'],
      ['atr', 'ATR'],
    ]);
    expect(strategy.indicators[1]!.params).toEqual({
      fast_period: 12,
      slow_period: 26,
      signal_period: 9,
      source: 'close',
    });
    const macd = strategy.fuzzy_sets.find((input) => input.input === 'macd.ppo');
    expect(macd).toMatchObject({ indicatorKey: 'macd', output: 'ppo' });
    expect(strategy.fuzzy_sets.find((input) => input.input === 'sma')?.output).toBe('ratio');
    const stochasticLow = strategy.fuzzy_sets.find((input) => input.input === 'stochastic')?.sets[0];
    expect(stochasticLow).toEqual({ name: 'low', type: 'triangular', parameters: [0, 0, 35] });
    expect(strategy.model.architecture).toEqual({
      hidden_layers: [64, 32],
      activation: 'relu',
      output_activation: 'softmax',
      dropout: 0.2,
    });
    expect(strategy.model.features.lookback_periods).toBe(3);
    expect(strategy.model.training.early_stopping).toEqual({
      enabled: true,
      patience: 10,
      monitor: 'val_loss',
      min_delta: 0.0001,
    });
    expect(strategy.training.labels).toEqual({
      source: 'zigzag',
      zigzag_threshold: 0.01,
      label_lookahead: 24,
    });
    expect(strategy.data).toEqual({ symbols: ['AAPL', 'MSFT'], timeframes: ['1h'] });
  });

  it('yields features with a signal a linear model can learn on hourly random-walk bars', async () => {
    const strategy = await loadStrategyFile(samplePath);
    const data = prepareTrainingData(randomWalkBars({ bars: 3000, seed: 3, volatility: 0.006 }), strategy);
    expect(data.columns).toHaveLength(18 * 4);
    const train = sliceRows(data, data.split.train);
    const validation = sliceRows(data, data.split.validation);
    const predict = fitSoftmax(train.x, train.y, train.rows, data.columns.length);
    let correct = 0;
    for (let r = 0; r < validation.rows; r++) {
      if (
        predict(validation.x.subarray(r * data.columns.length, (r + 1) * data.columns.length)) ===
        validation.y[r]
      ) {
        correct++;
      }
    }
    const counts = data.labelCounts.validation;
    const majority = Math.max(counts.buy, counts.hold, counts.sell) / validation.rows;
    expect(correct / validation.rows).toBeGreaterThan(majority + 0.1);
  });
});

describe('strategy parsing', () => {
  it('reads a Python KTRDR v2 file, warning about the keys that have no effect here', async () => {
    const strategy = await loadStrategyFile(pythonV2Path);
    expect(strategy.indicators.map((i) => i.key)).toEqual(['rsi', 'macd', 'sma']);
    expect(strategy.fuzzy_sets.map((input) => [input.input, input.output])).toEqual([
      ['rsi', 'value'],
      ['macd', 'macd'],
      ['sma', 'ratio'],
    ]);
    expect(strategy.model.architecture.hidden_layers).toEqual([30, 15, 8]);
    expect(strategy.model.training.weight_decay).toBe(0.0001);
    expect(strategy.model.training.lr_scheduler).toEqual({
      type: 'reduce_on_plateau',
      factor: 0.5,
      patience: 10,
      min_lr: 0,
    });
    expect(strategy.model.training.early_stopping.patience).toBe(15);
    expect(strategy.model.features).toEqual({
      lookback_periods: 3,
      scale_features: true,
      scaling_method: 'standard',
    });
    expect(strategy.data?.timeframes).toEqual(['1h', '4h', '1d']);
    expect(strategy.training_data).toEqual({
      symbols: ['AAPL', 'MSFT'],
      timeframes: ['1h', '4h', '1d'],
      base_timeframe: '1h',
    });
    expect(strategy.warnings).toEqual([
      'model.features.include_price_context (line 71): is not applied: the model reads fuzzy memberships only',
      'model.features.include_volume_context (line 72): is not applied: the model reads fuzzy memberships only',
    ]);
  });

  it('fills every default for a minimal file', () => {
    const strategy = parseStrategy(
      'name: minimal\nindicators: [{name: RSI}]\nfuzzy_sets: {RSI: {low: [0, 20, 40]}}\n',
    );
    expect(strategy.description).toBe('');
    expect(strategy.version).toBe('1.0');
    expect(strategy.data).toBeUndefined();
    expect(strategy.indicators[0]).toEqual({
      key: 'RSI',
      indicator: 'RSI',
      params: { period: 14, source: 'close' },
    });
    expect(strategy.model.architecture.hidden_layers).toEqual([64, 32]);
    expect(strategy.model.training).toMatchObject({
      learning_rate: 0.001,
      batch_size: 32,
      epochs: 100,
      optimizer: 'adam',
    });
    expect(strategy.model.training.early_stopping).toEqual({
      enabled: true,
      patience: 10,
      monitor: 'val_loss',
      min_delta: 0,
    });
    expect(strategy.model.training.lr_scheduler).toBeUndefined();
    expect(strategy.training).toEqual({
      labels: { source: 'zigzag', zigzag_threshold: 0.05, label_lookahead: 20 },
      data_split: { train: 0.7, validation: 0.15, test: 0.15 },
    });
  });

  it('keeps a numeric version as written and accepts indicator and parameter aliases', () => {
    const strategy = parseStrategy(
      'name: v\nversion: 2.10\nindicators:\n  - name: bbands\n    alias: bands\n    multiplier: 2.5\nfuzzy_sets:\n  bands:\n    narrow: [0, 0, 0.05]\n',
    );
    expect(strategy.version).toBe('2.10');
    expect(strategy.indicators[0]).toEqual({
      key: 'bands',
      indicator: 'BollingerBands',
      params: { period: 20, std_dev: 2.5, source: 'close' },
    });
    expect(strategy.fuzzy_sets[0]?.output).toBe('width');
  });
});

describe('bad strategy files: each problem names the field and its line', () => {
  it('an unknown indicator name', () => {
    const { error, problems } = problemsOf(VALID.replace('name: macd', 'name: macdd'));
    expect(error.message).toContain(
      'strategy.yaml:5:11 indicators[1].name: unknown indicator "macdd"; known indicators: RSI, SMA',
    );
    expect(problems).toHaveLength(1);
    expect(error.details['field']).toBe('indicators[1].name');
  });

  it('fuzzy sets for an indicator that is not declared, with a hint for a case mismatch', () => {
    const missing = problemsOf(VALID.replace('  rsi:\n    low', '  atr:\n    low'));
    expect(missing.error.message).toContain(
      'strategy.yaml:9:3 fuzzy_sets.atr: refers to no indicator named "atr"; declared indicator keys: rsi, macd',
    );
    const cased = problemsOf(VALID.replace('  rsi:\n    low', '  RSI:\n    low'));
    expect(cased.error.message).toContain('did you mean "rsi"?');
  });

  it('a data split that does not sum to 1', () => {
    const { error } = problemsOf(VALID.replace('validation: 0.15', 'validation: 0.25'));
    expect(error.message).toContain(
      'strategy.yaml:18:5 training.data_split: train + validation + test must sum to 1 (got 0.7 + 0.25 + 0.15 = 1.1)',
    );
  });

  it('a membership function with the wrong number of parameters', () => {
    const { error } = problemsOf(
      VALID.replace('parameters: [60, 80, 100, 100]', 'parameters: [60, 80, 100]'),
    );
    expect(error.message).toContain(
      'strategy.yaml:11:44 fuzzy_sets.rsi.high.parameters: trapezoidal takes 4 parameters [a, b, c, d] (got 3)',
    );
  });

  it('non-increasing triangular parameters', () => {
    const { error } = problemsOf(VALID.replace('low: [0, 20, 40]', 'low: [0, 40, 20]'));
    expect(error.message).toContain(
      'strategy.yaml:10:10 fuzzy_sets.rsi.low: triangular parameters must be non-decreasing (a <= b <= c), got [0, 40, 20]',
    );
  });

  it('a dropout out of range', () => {
    const { error } = problemsOf(VALID.replace('dropout: 0.2', 'dropout: 1.5'));
    expect(error.message).toContain(
      'strategy.yaml:15:14 model.architecture.dropout: must be between 0 and 1',
    );
    expect(error.message).toContain('got 1.5');
  });

  it('an unknown indicator parameter, and a parameter out of range', () => {
    const { error, problems } = problemsOf(
      VALID.replace('period: 14', 'perod: 14').replace('slow_period: 26', 'slow_period: 0'),
    );
    expect(error.message).toContain(
      'strategy.yaml:4:5 indicators[0].perod: RSI has no parameter "perod"; its parameters are period, source',
    );
    expect(error.message).toContain(
      'strategy.yaml:7:18 indicators[1].slow_period: must be between 1 and 10000 (got 0)',
    );
    expect(problems).toHaveLength(2);
  });

  it('MACD with fast_period not below slow_period', () => {
    const { error } = problemsOf(VALID.replace('fast_period: 12', 'fast_period: 30'));
    expect(error.message).toContain(
      'strategy.yaml:5:5 indicators[1]: fast_period must be less than slow_period (got 30 and 26)',
    );
  });

  it('two indicators with the same key', () => {
    const { error } = problemsOf(
      VALID.replace('  - name: macd\n', '  - name: rsi\n    period: 7\n  - name: macd\n'),
    );
    expect(error.message).toContain(
      'indicators[1]: indicator key "rsi" is already used by indicators[0]; give one of them a distinct feature_id',
    );
  });

  it('an indicator name that cannot prefix column names, and a bad feature_id', () => {
    const { error } = problemsOf(
      VALID.replace(
        '  - name: macd\n',
        '  - name: williams-r\n  - name: cci\n    feature_id: 9cci\n  - name: macd\n',
      ),
    );
    expect(error.message).toContain(
      'strategy.yaml:5:11 indicators[1].name: "williams-r" cannot prefix feature columns (letters, digits and _, not starting with a digit); add a feature_id',
    );
    expect(error.message).toContain('strategy.yaml:7:17 indicators[2].feature_id: must be an identifier');
  });

  it('ZigZag as a model input', () => {
    const { error } = problemsOf(
      VALID.replace('  - name: macd\n', '  - name: zigzag\n    threshold: 0.05\n  - name: macd\n').replace(
        'fuzzy_sets:\n',
        'fuzzy_sets:\n  zigzag:\n    any: [0, 1, 2]\n',
      ),
    );
    expect(error.message).toMatch(/fuzzy_sets\.zigzag: ZigZag looks ahead .* cannot be a model input/);
  });

  it('an output the indicator does not have', () => {
    const { error } = problemsOf(VALID.replace('  rsi:\n    low', '  macd.hst:\n    low'));
    expect(error.message).toContain(
      'fuzzy_sets.macd.hst: MACD has no output "hst"; its outputs are macd, signal, histogram, ppo',
    );
  });

  it('an unknown field inside a known section, and an unknown optimizer', () => {
    const { error } = problemsOf(
      VALID.replace(
        '    dropout: 0.2\n',
        '    dropout: 0.2\n    dropuot: 0.1\n  training:\n    optimizer: adamw\n',
      ),
    );
    expect(error.message).toContain(
      'strategy.yaml:16:5 model.architecture.dropuot: unknown field; expected one of hidden_layers',
    );
    expect(error.message).toContain(
      'strategy.yaml:18:16 model.training.optimizer: must be one of adam, sgd, rmsprop (got "adamw")',
    );
  });

  it('missing required sections, reported at the document', () => {
    const { problems } = problemsOf('description: nothing else\n');
    expect(problems.map((p) => p.field)).toEqual(['name', 'indicators', 'fuzzy_sets']);
    expect(problems.every((p) => p.line === 1)).toBe(true);
  });

  it('indicators that are neither a list (v2) nor a map (v3)', () => {
    const { error } = problemsOf('name: bad\nindicators: rsi\nfuzzy_sets: {}\n');
    expect(error.message).toContain(
      'strategy.yaml:2:13 indicators: must be a list of {name, ...parameters} entries (KTRDR v2) or a map of ids to {type, ...parameters} (KTRDR v3',
    );
  });

  it('YAML syntax errors, located', () => {
    const { problems } = problemsOf('name: broken\nindicators:\n  - name: rsi\n    period: [14\n');
    expect(problems[0]?.field).toBe('(yaml)');
    expect(problems[0]?.line).toBeGreaterThanOrEqual(4);
  });

  it('duplicate keys in a mapping', () => {
    const { problems } = problemsOf(VALID.replace('name: probe\n', 'name: probe\nname: again\n'));
    expect(problems[0]).toMatchObject({ field: '(yaml)', line: 2 });
  });

  it('collects every problem of a file in one error, headed by the count', () => {
    const broken = VALID.replace('name: macd', 'name: macdd')
      .replace('low: [0, 20, 40]', 'low: [0, 40, 20]')
      .replace('dropout: 0.2', 'dropout: 1.5')
      .replace('validation: 0.15', 'validation: 0.25');
    const { error, problems } = problemsOf(broken, 'my-strategy.yaml');
    expect(problems.map((p) => p.field)).toEqual([
      'indicators[1].name',
      'fuzzy_sets.rsi.low',
      'model.architecture.dropout',
      'training.data_split',
    ]);
    expect(error.message.split('\n')[0]).toBe('Invalid strategy my-strategy.yaml (4 problems):');
    expect(error.message).toContain('my-strategy.yaml:15:14 model.architecture.dropout');
  });

  it('names the file path in problems of a loaded file, and reports a missing file as not found', async () => {
    await expect(loadStrategyFile('/nonexistent/strategy.yaml')).rejects.toBeInstanceOf(NotFoundError);
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'ktrdr-strategy-'));
    const path = join(dir, 'bad.yaml');
    await writeFile(path, VALID.replace('dropout: 0.2', 'dropout: -1'));
    await expect(loadStrategyFile(path)).rejects.toThrow(`${path}:15:14 model.architecture.dropout`);
  });
});

/** Multinomial logistic regression by batch gradient descent: a deliberately weak learner. */
function fitSoftmax(
  x: Float32Array,
  y: Int32Array,
  rows: number,
  width: number,
): (row: Float32Array) => number {
  const weights = new Float64Array(width * 3);
  const bias = new Float64Array(3);
  const logits = (row: Float32Array, out: Float64Array): void => {
    for (let k = 0; k < 3; k++) {
      let z = bias[k]!;
      for (let c = 0; c < width; c++) z += row[c]! * weights[c * 3 + k]!;
      out[k] = z;
    }
  };
  const z = new Float64Array(3);
  for (let epoch = 0; epoch < 100; epoch++) {
    const gradW = new Float64Array(width * 3);
    const gradB = new Float64Array(3);
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * width, (r + 1) * width);
      logits(row, z);
      const max = Math.max(z[0]!, z[1]!, z[2]!);
      const exp = Array.from(z, (v) => Math.exp(v - max));
      const sum = exp[0]! + exp[1]! + exp[2]!;
      for (let k = 0; k < 3; k++) {
        const g = exp[k]! / sum - (y[r] === k ? 1 : 0);
        gradB[k]! += g;
        for (let c = 0; c < width; c++) gradW[c * 3 + k]! += g * row[c]!;
      }
    }
    for (let i = 0; i < weights.length; i++) weights[i]! -= (0.1 * gradW[i]!) / rows;
    for (let k = 0; k < 3; k++) bias[k]! -= (0.1 * gradB[k]!) / rows;
  }
  return (row) => {
    logits(row, z);
    return z[0]! >= z[1]! && z[0]! >= z[2]! ? 0 : z[1]! >= z[2]! ? 1 : 2;
  };
}
