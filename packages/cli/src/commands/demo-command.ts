import type { ArgsDef, CommandDef } from 'citty';
import { leafCommand } from '../cli/command-kit';
import type { CliContext } from '../cli/context';

/** `ktrdr demo`: the whole SDK on the built-in IB simulator. */
export function demoCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr demo',
    description:
      'Start the IB simulator, load a year of hourly bars, train the sample strategy, predict, backtest (SIMULATED data)',
    args: {
      dir: {
        type: 'string',
        description: 'Folder for the demo data and models (default ./.ktrdr/demo)',
        valueHint: 'DIR',
      },
      symbols: {
        type: 'string',
        description: 'Comma-separated symbols to load (default AAPL,MSFT)',
        valueHint: 'LIST',
      },
      days: { type: 'string', description: 'Days of hourly bars to load (default 365)', valueHint: 'N' },
      epochs: {
        type: 'string',
        description: "Training epochs (default: the sample strategy's)",
        valueHint: 'N',
      },
      progress: {
        type: 'boolean',
        default: true,
        description: 'Show progress',
        negativeDescription: 'Hide progress',
      },
    },
    run: async (args) => (await import('./demo/demo-action')).demo(context, args),
  });
}
