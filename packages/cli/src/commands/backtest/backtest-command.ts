import type { ArgsDef, CommandDef } from 'citty';
import { groupCommand, leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

/** `ktrdr backtest run`. */
export function backtestRunCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr backtest run',
    description:
      'Backtest a model over stored bars: decisions at each close, fills at the next open, costs, and metrics beside buy-and-hold (Ctrl+C cancels)',
    args: {
      model: {
        type: 'positional',
        description: 'Model name as listed, e.g. neuro_fuzzy_sample/AAPL_1h_v1 (without _vN: the latest)',
        required: true,
      },
      symbol: { type: 'positional', description: 'Symbol whose stored bars to trade', required: true },
      timeframe: {
        type: 'positional',
        description: "Timeframe (default: the model's; it must be the model's base timeframe)",
        required: false,
      },
      start: {
        type: 'string',
        description: 'First bar of the backtest, ISO 8601 (required)',
        valueHint: 'ISO',
      },
      end: {
        type: 'string',
        description: 'Stop before this time, ISO 8601 (default: the last stored bar)',
        valueHint: 'ISO',
      },
      capital: { type: 'string', description: 'Starting capital (default 100000)', valueHint: 'N' },
      fraction: {
        type: 'string',
        description: 'Fraction of the capital each position takes, 0 to 1 (default 0.25)',
        valueHint: 'F',
      },
      units: {
        type: 'string',
        description: 'whole or fractional units (default: fractional for forex, whole otherwise)',
        valueHint: 'whole|fractional',
      },
      commission: {
        type: 'string',
        description: 'Commission per side, a fraction (default 0.001 = 0.1%)',
        valueHint: 'F',
      },
      slippage: {
        type: 'string',
        description: 'Slippage, a fraction of the price (default 0.0005 = 0.05%)',
        valueHint: 'F',
      },
      threshold: {
        type: 'string',
        description: "Confidence threshold, 0 to 1 (default: the strategy's decisions, else 0.5)",
        valueHint: 'F',
      },
      separation: {
        type: 'string',
        description: "Minimum hours between orders (default: the strategy's decisions, else 4)",
        valueHint: 'H',
      },
      short: {
        type: 'boolean',
        default: true,
        description: 'A SELL while flat opens a short',
        negativeDescription: 'Long only: a SELL only closes a long',
      },
      metrics: {
        type: 'string',
        description:
          "standard (annualised from the bar size) or ktrdr (Python KTRDR's formulas); default standard",
        valueHint: 'MODE',
      },
      'risk-free': {
        type: 'string',
        description: 'Annual risk-free rate for Sharpe and Sortino, a fraction (standard mode; default 0)',
        valueHint: 'F',
      },
      progress: {
        type: 'boolean',
        default: true,
        description: 'Show progress',
        negativeDescription: 'Hide progress',
      },
    },
    run: async (args) => (await import('./backtest-run')).backtestRun(context, args),
  });
}

/** `ktrdr backtest list`. */
export function backtestListCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr backtest list',
    description: 'List stored backtests with their return beside buy-and-hold',
    args: {},
    run: async () => (await import('./backtest-actions')).backtestList(context),
  });
}

/** `ktrdr backtest show`. */
export function backtestShowCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr backtest show',
    description: 'Show a stored backtest: equity chart, metrics beside buy-and-hold, and its latest trades',
    args: {
      id: {
        type: 'positional',
        description: 'Backtest id as listed, e.g. bt_20260107_120000_1a2b3c4d',
        required: true,
      },
      trades: {
        type: 'string',
        description: 'How many of the latest trades to show (default 10)',
        valueHint: 'N',
      },
    },
    run: async (args) => (await import('./backtest-actions')).backtestShow(context, args),
  });
}

/** `ktrdr backtest`: run, list, show. */
export function backtestCommand(context: CliContext): CommandDef<ArgsDef> {
  return groupCommand(context, {
    path: 'ktrdr backtest',
    description: 'Backtests: run a model over stored bars, list and show the results',
    subCommands: {
      run: async () => backtestRunCommand(context),
      list: async () => backtestListCommand(context),
      show: async () => backtestShowCommand(context),
    },
  });
}
