/** Options of {@link smallStrategyYaml}. */
export interface SmallStrategyOptions {
  name?: string;
  epochs?: number;
  batchSize?: number;
  /** Early stopping on val_loss with this patience; off when undefined. */
  patience?: number;
  /** `data.symbols` (default `[AAPL]`). */
  symbols?: string[];
  /** `data.timeframes` (default `[1h]`). */
  timeframes?: string[];
}

/**
 * A small, fast strategy in the KTRDR v2 layout: two indicators, four fuzzy sets, one lag, an
 * 8-unit hidden layer. Small enough that a few epochs on a few hundred bars take milliseconds.
 */
export function smallStrategyYaml(options: SmallStrategyOptions = {}): string {
  const earlyStopping =
    options.patience === undefined
      ? '      enabled: false'
      : `      enabled: true\n      patience: ${options.patience}\n      monitor: val_loss`;
  return `name: ${options.name ?? 'chain_test'}
description: Small strategy for the training chain tests
version: '1.0'
data:
  symbols: [${(options.symbols ?? ['AAPL']).join(', ')}]
  timeframes: [${(options.timeframes ?? ['1h']).join(', ')}]
indicators:
  - name: rsi
    period: 14
    source: close
  - name: roc
    period: 10
    source: close
fuzzy_sets:
  rsi:
    low: [0, 0, 50]
    high: [50, 100, 100]
  roc:
    falling: { type: trapezoidal, parameters: [-100, -100, -1, 0] }
    rising: { type: trapezoidal, parameters: [0, 1, 100, 100] }
model:
  type: mlp
  architecture:
    hidden_layers: [8]
    activation: relu
    dropout: 0
  features:
    lookback_periods: 1
    scale_features: true
  training:
    learning_rate: 0.01
    batch_size: ${options.batchSize ?? 16}
    epochs: ${options.epochs ?? 3}
    optimizer: adam
    early_stopping:
${earlyStopping}
training:
  labels:
    source: zigzag
    zigzag_threshold: 0.01
    label_lookahead: 24
  data_split:
    train: 0.7
    validation: 0.15
    test: 0.15
`;
}

/**
 * {@link smallStrategyYaml} with `model.architecture.dropout` out of range on a known line, for
 * the "errors name the field and the line" checks.
 */
export function badDropoutStrategy(): { yaml: string; line: number } {
  const yaml = smallStrategyYaml().replace('    dropout: 0\n', '    dropout: 1.5\n');
  const line = yaml.split('\n').findIndex((text) => text.includes('dropout: 1.5')) + 1;
  return { yaml, line };
}

/** A strategy that is not valid YAML (a duplicated key), with the line of the duplicate. */
export function brokenYamlStrategy(): { yaml: string; line: number } {
  const yaml = smallStrategyYaml().replace('    optimizer: adam\n', '    optimizer: adam\n    epochs: 5\n');
  const line = yaml.split('\n').findIndex((text) => text === '    epochs: 5') + 1;
  return { yaml, line };
}
