import { ValidationError } from '@ktrdr/core';
import { describe, expect, it } from 'vitest';
import { parseStrategy, type StrategyProblem } from '../src/strategy/index';

/** The message of the ValidationError `parseStrategy(text)` throws. */
function errorOf(text: string): { message: string; problems: StrategyProblem[] } {
  try {
    parseStrategy(text, 'probe.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    return { message: validation.message, problems: validation.details['problems'] as StrategyProblem[] };
  }
  throw new Error('expected the strategy to be rejected');
}

/** Indicators and fuzzy sets every v2 probe below shares; its sections are appended to it. */
const V2 = `name: probe
indicators:
  - name: rsi
    period: 14
fuzzy_sets:
  rsi:
    low: [0, 20, 40]
`;

/** A v3 probe: two timeframes, three fuzzy sets, nn_inputs choosing among them. */
const V3 = `name: probe_v3
version: "3.0"
training_data:
  symbols: {mode: single, symbol: EURUSD}
  timeframes: {mode: multi_timeframe, list: [4h, 1h], base_timeframe: 1h}
indicators:
  rsi_14: {type: rsi, period: 14, source: close}
  macd_12_26_9: {type: macd, fast: 12, slow: 26, signal: 9}
fuzzy_sets:
  rsi_momentum:
    indicator: rsi_14
    low: [0, 20, 40]
    high: [60, 80, 100]
  macd_direction:
    indicator: macd_12_26_9.line
    down: {type: gaussian, parameters: [-0.002, 0.002]}
    up: {type: gaussian, parameters: [0.002, 0.002]}
  macd_hist:
    indicator: macd_12_26_9.histogram
    flat: [-0.001, 0, 0.001]
nn_inputs:
  - fuzzy_set: macd_direction
    timeframes: [4h]
  - fuzzy_set: rsi_momentum
    timeframes: all
  - fuzzy_set: macd_hist
`;

describe('training_data (v2 and v3)', () => {
  it('reads Python v2 modes: several symbols, several timeframes, the named base timeframe', () => {
    const strategy = parseStrategy(
      `${V2}training_data:
  symbols: {mode: multi_symbol, list: [AAPL, msft, EURUSD]}
  timeframes: {mode: multi_timeframe, list: [1d, 1h, 4h], base_timeframe: 1h}
  history_required: 200
`,
    );
    expect(strategy.training_data).toEqual({
      symbols: ['AAPL', 'MSFT', 'EUR.USD'],
      timeframes: ['1h', '4h', '1d'],
      base_timeframe: '1h',
    });
    expect(strategy.warnings).toBeUndefined();
  });

  it('reads single modes (v2 and v3 spellings), plain lists, and takes the highest frequency as base', () => {
    const single = parseStrategy(
      `${V2}training_data:\n  symbols: {mode: single_symbol, symbol: AAPL}\n  timeframes: {mode: single, timeframe: 4h}\n`,
    );
    expect(single.training_data).toEqual({ symbols: ['AAPL'], timeframes: ['4h'], base_timeframe: '4h' });
    // Python's v1.5 files write a single symbol and timeframe as one-item lists.
    const oneItemLists = parseStrategy(
      `${V2}training_data:\n  symbols: {mode: single_symbol, list: [EURUSD]}\n  timeframes: {mode: single_timeframe, list: [1h], base_timeframe: 1h}\n`,
    );
    expect(oneItemLists.training_data).toEqual({
      symbols: ['EUR.USD'],
      timeframes: ['1h'],
      base_timeframe: '1h',
    });
    const lists = parseStrategy(`${V2}training_data:\n  symbols: [SPY]\n  timeframes: [1d, 15m, 1h]\n`);
    expect(lists.training_data).toEqual({
      symbols: ['SPY'],
      timeframes: ['15m', '1h', '1d'],
      base_timeframe: '15m',
    });
  });

  it('falls back to the older data section, and says so when both are given', () => {
    const old = parseStrategy(`${V2}data:\n  symbols: [AAPL, MSFT]\n  timeframes: [4h, 1h]\n`);
    expect(old.data).toEqual({ symbols: ['AAPL', 'MSFT'], timeframes: ['4h', '1h'] });
    expect(old.training_data).toEqual({
      symbols: ['AAPL', 'MSFT'],
      timeframes: ['1h', '4h'],
      base_timeframe: '1h',
    });
    const both = parseStrategy(
      `${V2}data:\n  symbols: [AAPL]\n  timeframes: [1h]\ntraining_data:\n  symbols: [MSFT]\n  timeframes: [1d]\n`,
    );
    expect(both.training_data?.symbols).toEqual(['MSFT']);
    expect(both.warnings).toEqual([
      'data (line 8): training_data takes precedence, so this older section is not used for training',
    ]);
    // Without timeframes, `data` says too little to train on: the caller names them.
    expect(parseStrategy(`${V2}data:\n  symbols: [AAPL]\n`).training_data).toBeUndefined();
  });

  it('warns that a date range is not applied (the request chooses the dates)', () => {
    const strategy = parseStrategy(
      `${V2}training_data:\n  symbols: [AAPL]\n  timeframes: [1h]\n  date_range: {start: "2024-01-01", end: "2025-01-01"}\n`,
    );
    expect(strategy.warnings).toEqual([
      expect.stringMatching(/^training_data\.date_range \(line 11\): is not applied: training reads/),
    ]);
  });

  it('rejects, located: a base timeframe not listed, an unknown timeframe, a single mode listing two, a crypto pair', () => {
    const { message, problems } = errorOf(
      `${V2}training_data:
  symbols: {mode: single, list: [AAPL, MSFT]}
  timeframes: {mode: multi_timeframe, list: [1h, 1H], base_timeframe: 1d}
`,
    );
    expect(message).toContain(
      'probe.yaml:9:19 training_data.symbols.mode: is single but 2 symbols are listed',
    );
    expect(message).toContain('probe.yaml:10:50 training_data.timeframes.list[1]: unknown timeframe "1H"');
    expect(problems).toHaveLength(2);
    const crypto = errorOf(`${V2}training_data:\n  symbols: [AAPL, BTCUSD]\n  timeframes: [1h]\n`);
    expect(crypto.message).toContain('training_data.symbols[1]: ');
    expect(crypto.message).toContain('crypto pair');
    const base = errorOf(
      `${V2}training_data:\n  symbols: [AAPL]\n  timeframes: {list: [1h, 4h], base_timeframe: 1d}\n`,
    );
    expect(base.message).toContain('base_timeframe: must be one of the listed timeframes 1h, 4h (got "1d")');
  });
});

describe('the v3 layout', () => {
  it('reads indicators by id, fuzzy sets naming their indicator, and nn_inputs in their order', () => {
    const strategy = parseStrategy(V3);
    expect(strategy.indicators).toEqual([
      { key: 'rsi_14', indicator: 'RSI', params: { period: 14, source: 'close' } },
      {
        key: 'macd_12_26_9',
        indicator: 'MACD',
        params: { fast_period: 12, slow_period: 26, signal_period: 9, source: 'close' },
      },
    ]);
    expect(
      strategy.fuzzy_sets.map(({ input, indicatorKey, output, timeframes, sets }) => ({
        input,
        indicatorKey,
        output,
        timeframes,
        sets: sets.map((set) => set.name),
      })),
    ).toEqual([
      {
        input: 'macd_direction',
        indicatorKey: 'macd_12_26_9',
        output: 'macd',
        timeframes: ['4h'],
        sets: ['down', 'up'],
      },
      {
        input: 'rsi_momentum',
        indicatorKey: 'rsi_14',
        output: 'value',
        timeframes: undefined,
        sets: ['low', 'high'],
      },
      {
        input: 'macd_hist',
        indicatorKey: 'macd_12_26_9',
        output: 'histogram',
        timeframes: undefined,
        sets: ['flat'],
      },
    ]);
    expect(strategy.training_data).toEqual({
      symbols: ['EUR.USD'],
      timeframes: ['1h', '4h'],
      base_timeframe: '1h',
    });
    expect(strategy.warnings).toBeUndefined();
  });

  it('orders the timeframes of an nn_inputs entry by frequency, as training_data orders them', () => {
    const strategy = parseStrategy(V3.replace('timeframes: [4h]', 'timeframes: [4h, 1h]'));
    expect(strategy.fuzzy_sets[0]?.timeframes).toEqual(['1h', '4h']);
  });

  it('leaves out a fuzzy set that nn_inputs does not name, with a warning', () => {
    const strategy = parseStrategy(V3.replace('  - fuzzy_set: macd_hist\n', ''));
    expect(strategy.fuzzy_sets.map((input) => input.input)).toEqual(['macd_direction', 'rsi_momentum']);
    expect(strategy.warnings).toEqual([
      'fuzzy_sets.macd_hist (line 18): is not listed in nn_inputs, so the model does not read it',
    ]);
  });

  it('reads every fuzzy set at every timeframe when nn_inputs is absent', () => {
    const strategy = parseStrategy(V3.slice(0, V3.indexOf('nn_inputs:')));
    expect(strategy.fuzzy_sets.map((input) => [input.input, input.timeframes])).toEqual([
      ['rsi_momentum', undefined],
      ['macd_direction', undefined],
      ['macd_hist', undefined],
    ]);
  });

  it('rejects, located: a timeframe outside training_data, an unknown fuzzy set, raw indicators, a fuzzy set without its indicator', () => {
    const { message } = errorOf(
      V3.replace('timeframes: [4h]', 'timeframes: [4h, 1d]')
        .replace('  - fuzzy_set: macd_hist\n', '  - fuzzy_set: macd_hst\n  - raw_indicator: rsi_14\n')
        .replace('    indicator: rsi_14\n', ''),
    );
    expect(message).toContain('nn_inputs[0].timeframes: 1d is not among the training timeframes 1h, 4h');
    expect(message).toContain('nn_inputs[2].fuzzy_set: names no fuzzy set "macd_hst"');
    expect(message).toContain(
      'nn_inputs[3].raw_indicator: raw indicator inputs are not supported: only fuzzy sets feed the model',
    );
    expect(message).toContain('fuzzy_sets.rsi_momentum.indicator: needs the indicator it reads (v3 layout)');
  });

  it('rejects a fuzzy set listed twice in nn_inputs and a reference to an undeclared indicator', () => {
    const { message } = errorOf(
      V3.replace('  - fuzzy_set: macd_hist\n', '  - fuzzy_set: rsi_momentum\n').replace(
        'indicator: macd_12_26_9.histogram',
        'indicator: macd_5_13_5.histogram',
      ),
    );
    expect(message).toContain('nn_inputs[2].fuzzy_set: fuzzy set rsi_momentum is listed twice');
    expect(message).toContain(
      'fuzzy_sets.macd_hist.indicator: refers to no indicator named "macd_5_13_5"; declared indicator keys: rsi_14, macd_12_26_9',
    );
  });

  it('reads a moving average as close / average, as v2 does; price-level sets are refused, .value reads the average', () => {
    const text = `name: sma_v3
version: "3.0"
indicators:
  sma_20: {type: sma, period: 20}
fuzzy_sets:
  trend:
    indicator: sma_20
    below: [0.9, 0.97, 1.0]
    above: [1.0, 1.03, 1.1]
`;
    expect(parseStrategy(text).fuzzy_sets[0]).toMatchObject({ indicatorKey: 'sma_20', output: 'ratio' });
    const prices = text
      .replace('[0.9, 0.97, 1.0]', '[150, 170, 190]')
      .replace('[1.0, 1.03, 1.1]', '[180, 200, 220]');
    expect(errorOf(prices).message).toContain(
      "probe.yaml:7:5 fuzzy_sets.trend: reads sma_20's ratio (source / average, about 1.0), but no set has a parameter between 0.5 and 2: for the average itself, write sma_20.value",
    );
    const value = parseStrategy(prices.replace('indicator: sma_20', 'indicator: sma_20.value'));
    expect(value.fuzzy_sets[0]).toMatchObject({ indicatorKey: 'sma_20', output: 'value' });
  });

  it('matches fuzzy sets to indicator ids case-sensitively, with a did-you-mean', () => {
    const { message } = errorOf(V3.replace('indicator: rsi_14\n', 'indicator: RSI_14\n'));
    expect(message).toContain(
      'fuzzy_sets.rsi_momentum.indicator: refers to no indicator named "RSI_14"; keys are case-sensitive, did you mean "rsi_14"?',
    );
  });

  it('rejects an indicator without a type, and an unknown type with the known ones', () => {
    const { message } = errorOf(
      V3.replace('rsi_14: {type: rsi, period: 14, source: close}', 'rsi_14: {period: 14}').replace(
        'macd_12_26_9: {type: macd, fast: 12, slow: 26, signal: 9}',
        'macd_12_26_9: {type: super_trnd, period: 10}',
      ),
    );
    expect(message).toContain('indicators.rsi_14.type: needs the indicator type (e.g. type: rsi');
    expect(message).toContain(
      'indicators.macd_12_26_9.type: unknown indicator "super_trnd"; known indicators: RSI, SMA',
    );
  });
});

describe('Python spellings', () => {
  it('accepts source on indicators that read several price columns; only a source other than close warns', () => {
    const strategy = parseStrategy(
      `name: spell
indicators:
  - {name: stochastic, k_period: 14, source: close}
  - {name: adx, period: 14, source: close}
  - {name: atr, period: 14, source: high}
fuzzy_sets:
  stochastic: {low: [0, 20, 40]}
  adx: {weak: [0, 10, 25]}
  atr: {calm: [0, 0.5, 1]}
`,
    );
    expect(strategy.indicators.map((i) => i.params)).toEqual([
      { k_period: 14, d_period: 3, smooth_k: 3 },
      { period: 14 },
      { period: 14 },
    ]);
    expect(strategy.warnings).toEqual([
      'indicators[2].source (line 5): ATR reads its own price columns, so source: high has no effect (Python KTRDR ignores it too)',
    ]);
    expect(
      errorOf(`${V2}`.replace('period: 14', 'period: 14\n  - {name: adx, source: typical}')).message,
    ).toContain('indicators[1].source: must be one of open, high, low, close');
  });

  it('maps MACD fast/slow/signal and its output names (line, hist) onto ours', () => {
    const strategy = parseStrategy(
      `name: macd
indicators:
  - {name: macd, fast: 5, slow: 13, signal: 5}
fuzzy_sets:
  macd.line: {up: [0, 1, 2]}
  macd.hist: {up: [0, 1, 2]}
`,
    );
    expect(strategy.indicators[0]?.params).toEqual({
      fast_period: 5,
      slow_period: 13,
      signal_period: 5,
      source: 'close',
    });
    expect(strategy.fuzzy_sets.map((input) => input.output)).toEqual(['macd', 'histogram']);
    expect(
      errorOf(
        'name: m\nindicators:\n  - {name: macd, fast: 5, fast_period: 6}\nfuzzy_sets: {macd: {a: [0, 1, 2]}}\n',
      ).message,
    ).toContain('fast_period is given twice');
  });

  it("reads Python's price_ratio input transform as the ratio output of a moving average", () => {
    const text = `name: ratio
indicators:
  sma_20: {type: sma, period: 20}
  rsi_14: {type: rsi}
fuzzy_sets:
  sma_20:
    indicator: sma_20
    input_transform: {type: price_ratio, reference: close}
    below: [0.9, 0.95, 1.0]
  rsi_14:
    indicator: rsi_14
    low: [0, 20, 40]
`;
    expect(parseStrategy(text).fuzzy_sets.map((input) => input.output)).toEqual(['ratio', 'value']);
    const { message } = errorOf(
      text.replace('    low: [0, 20, 40]', '    input_transform: {type: price_ratio}\n    low: [0, 20, 40]'),
    );
    expect(message).toContain(
      'fuzzy_sets.rsi_14.input_transform: price_ratio is supported on SMA and EMA with reference equal to their source',
    );
  });
});

describe('known but unsupported: an error naming the key and what is supported', () => {
  const cases: Array<[string, string, string]> = [
    [
      'an LSTM',
      V2 + 'model:\n  type: lstm\n  architecture: {sequence_length: 20}\n',
      'model.type: lstm models are not supported: this SDK trains MLP classifiers (type: mlp)',
    ],
    [
      'triple-barrier labels',
      V2 + 'training:\n  labels: {source: triple_barrier, profit_target_atr: 2}\n',
      'training.labels.source: triple_barrier labels are not supported: this SDK labels ZigZag swings (source: zigzag)',
    ],
    [
      'regime labels',
      V2 + 'training:\n  labels: {source: regime}\n',
      'training.labels.source: regime labels are not supported',
    ],
    [
      'context labels',
      V2 + 'training:\n  labels: {source: context, horizon: 5}\n',
      'training.labels.source: context labels are not supported',
    ],
    [
      'regression output',
      V2 + 'decisions:\n  output_format: regression\n',
      'decisions.output_format: regression models are not supported: models are BUY/HOLD/SELL classifiers',
    ],
    [
      'a regression loss',
      V2 + 'training:\n  loss: huber\n',
      'training.loss: loss "huber" is not supported: models are BUY/HOLD/SELL classifiers trained with cross_entropy',
    ],
    [
      'lr_scheduler: true',
      V2 + 'model:\n  training:\n    lr_scheduler: true\n',
      'model.training.lr_scheduler: true is not a schedule here: give {type: reduce_on_plateau | step | exponential',
    ],
    [
      'a cosine schedule',
      V2 + 'model:\n  training:\n    lr_scheduler: {type: cosine}\n',
      'model.training.lr_scheduler.type: must be one of reduce_on_plateau, step, exponential (got "cosine")',
    ],
    [
      'gradient clipping',
      V2 + 'training:\n  gradient_clip: 1.0\n',
      'training.gradient_clip: gradient_clip is not supported',
    ],
    [
      'v3 training settings outside model.training',
      V2 + 'training:\n  epochs: 50\n',
      'training.epochs: set epochs under model.training, where this SDK reads it',
    ],
    [
      'context data',
      V2 + 'context_data:\n  - {symbol: DXY}\n',
      'context_data: context data series (sentiment, other markets) are not supported',
    ],
  ];
  it.each(cases)('%s', (_, text, expected) => {
    const { message, problems } = errorOf(text);
    expect(message).toContain(`probe.yaml:`);
    expect(message).toContain(expected);
    expect(problems).toHaveLength(1);
  });
});

describe('keys Python only warns about, and unknown keys', () => {
  it('warns about model.input_size and context features, and reads symbol_embedding_dim', () => {
    const strategy = parseStrategy(
      V2 +
        `model:
  input_size: 36
  symbol_embedding_dim: 16
  features:
    include_price_context: true
    include_volume_context: false
`,
    );
    expect(strategy.model.symbol_embedding_dim).toBe(16);
    expect(strategy.warnings).toEqual([
      'model.input_size (line 9): old model format (as Python KTRDR warns): ignored, the input size follows from the features',
      'model.features.include_price_context (line 12): is not applied: the model reads fuzzy memberships only',
    ]);
    expect(parseStrategy(V2).model.symbol_embedding_dim).toBeUndefined();
    expect(errorOf(V2 + 'model:\n  symbol_embedding_dim: 2.5\n').message).toContain(
      'model.symbol_embedding_dim: must be a whole number (got 2.5)',
    );
  });

  it('accepts the Python-only sections (hypothesis, scope, deployment, decisions...) without a word', () => {
    const strategy = parseStrategy(
      V2 +
        `hypothesis: RSI extremes revert
scope: universal
deployment: {target_symbols: {mode: universal}}
decisions: {output_format: classification, confidence_threshold: 0.6}
orchestrator: {max_position_size: 0.95}
risk_management: {position_sizing: fixed_fraction}
backtesting: {initial_capital: 100000}
`,
    );
    expect(strategy.warnings).toBeUndefined();
    expect(errorOf(V2 + 'scope: everywhere\n').message).toContain(
      'scope: must be one of universal, symbol_group, symbol_specific',
    );
  });

  it('warns about an indicator no model input reads (Python warns too)', () => {
    const v2 = parseStrategy(
      V2.replace('    period: 14\n', '    period: 14\n  - name: zigzag\n    threshold: 0.05\n'),
    );
    expect(v2.warnings).toEqual([
      'indicators[1] (line 5): no fuzzy set the model reads uses this indicator, so it has no effect',
    ]);
    const v3 = parseStrategy(
      V3.replace('  - fuzzy_set: macd_direction\n    timeframes: [4h]\n', '').replace(
        '  - fuzzy_set: macd_hist\n',
        '',
      ),
    );
    expect(v3.warnings).toEqual([
      'indicators.macd_12_26_9 (line 8): no fuzzy set the model reads uses this indicator, so it has no effect',
      'fuzzy_sets.macd_direction (line 14): is not listed in nn_inputs, so the model does not read it',
      'fuzzy_sets.macd_hist (line 18): is not listed in nn_inputs, so the model does not read it',
    ]);
  });

  it('warns about an unknown top-level key, with a did-you-mean', () => {
    const strategy = parseStrategy(`${V2}trainig_data:\n  symbols: [AAPL]\nnotes: anything\n`);
    expect(strategy.training_data).toBeUndefined();
    expect(strategy.warnings).toEqual([
      'trainig_data (line 8): unknown section, ignored; did you mean "training_data"?',
      'notes (line 10): unknown section, ignored',
    ]);
  });
});
