import type { ArgsDef, CommandDef } from 'citty';
import { groupCommand, leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

const name = {
  type: 'positional',
  description: 'Model name as listed, e.g. neuro_fuzzy_sample/AAPL_1h_v1',
  required: true,
} as const;

/** `ktrdr models train`. */
export function modelsTrainCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr models train',
    description: 'Train a strategy on stored bars, following the training (Ctrl+C cancels it)',
    args: {
      strategy: {
        type: 'positional',
        description: 'Strategy YAML file, or the name of a strategy the API knows',
        required: true,
      },
      symbol: {
        type: 'positional',
        description: 'Symbol, or several comma-separated (default: every symbol the strategy declares)',
        required: false,
      },
      timeframe: {
        type: 'positional',
        description: 'Timeframe, or several comma-separated (default: every timeframe the strategy declares)',
        required: false,
      },
      symbols: {
        type: 'string',
        alias: 's',
        description: "Symbols to train on, comma-separated (overrides the strategy's)",
        valueHint: 'SYM,...',
      },
      timeframes: {
        type: 'string',
        alias: 't',
        description:
          "Timeframes to train on, comma-separated; several make a multi-timeframe model (overrides the strategy's)",
        valueHint: 'TF,...',
      },
      'load-missing': {
        type: 'boolean',
        default: false,
        description: 'Load series that are not stored yet (from IB) before training',
      },
      'start-date': {
        type: 'string',
        description: 'First bar to train on, ISO 8601 (default: all stored)',
        valueHint: 'ISO',
      },
      'end-date': {
        type: 'string',
        description: 'Train on bars before this time, ISO 8601',
        valueHint: 'ISO',
      },
      epochs: { type: 'string', description: "Epochs (default: the strategy's)", valueHint: 'N' },
      seed: { type: 'string', description: 'Random seed, for a reproducible run', valueHint: 'N' },
      progress: {
        type: 'boolean',
        default: true,
        description: 'Show progress',
        negativeDescription: 'Hide progress',
      },
    },
    run: async (args) => (await import('./models-train')).modelsTrain(context, args),
  });
}

/** `ktrdr models list`. */
export function modelsListCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr models list',
    description: 'List trained models with their test accuracy',
    args: {},
    run: async () => (await import('./models-actions')).modelsList(context),
  });
}

/** `ktrdr models show`. */
export function modelsShowCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr models show',
    description: 'Show a model: metadata, test metrics and its training curves (loss and accuracy per epoch)',
    args: { name },
    run: async (args) => (await import('./models-actions')).modelsShow(context, args),
  });
}

/** `ktrdr models predict`. */
export function modelsPredictCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr models predict',
    description:
      'Predict BUY/HOLD/SELL on the latest stored bars of a symbol (ONNX Runtime); a multi-timeframe model reads every timeframe it was trained on',
    args: {
      name,
      symbol: { type: 'positional', description: 'Symbol whose stored bars to predict on', required: true },
      timeframe: {
        type: 'string',
        alias: 't',
        description: "Timeframe (default: the model's; a multi-timeframe model takes only its base)",
        valueHint: 'TF',
      },
      'load-missing': {
        type: 'boolean',
        default: false,
        description: 'Load the series the model needs that are not stored yet (from IB) first',
      },
      rows: {
        type: 'string',
        alias: 'r',
        description: 'How many of the latest bars (default 10)',
        valueHint: 'N',
      },
    },
    run: async (args) => (await import('./models-actions')).modelsPredict(context, args),
  });
}

/** `ktrdr models`: train, list, show, predict. */
export function modelsCommand(context: CliContext): CommandDef<ArgsDef> {
  return groupCommand(context, {
    path: 'ktrdr models',
    description: 'Models: train a strategy, list and show models, predict',
    subCommands: {
      train: async () => modelsTrainCommand(context),
      list: async () => modelsListCommand(context),
      show: async () => modelsShowCommand(context),
      predict: async () => modelsPredictCommand(context),
    },
  });
}
