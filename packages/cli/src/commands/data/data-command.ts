import type { ArgsDef, CommandDef } from 'citty';
import { groupCommand, leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

const symbol = {
  type: 'positional',
  description: 'Symbol, e.g. AAPL, BRK.B or EUR.USD',
  required: true,
} as const;
const timeframe = (fallback: string) =>
  ({
    type: 'string',
    alias: 't',
    description: `Timeframe: 1m 5m 15m 30m 1h 2h 3h 4h 1d 1w 1M (default ${fallback})`,
    valueHint: 'TF',
  }) as const;
const start = {
  type: 'string',
  description: 'From this time, ISO 8601 (2024-01-31 or 2024-01-31T14:30:00Z)',
  valueHint: 'ISO',
} as const;
const end = {
  type: 'string',
  description: 'Until this time (exclusive), ISO 8601',
  valueHint: 'ISO',
} as const;

/** `ktrdr data show`. */
export function dataShowCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr data show',
    description: 'Show stored bars of a symbol (reads the store; fetches nothing)',
    args: {
      symbol,
      timeframe: timeframe('1d'),
      rows: {
        type: 'string',
        alias: 'r',
        description: 'How many of the latest bars (default 10, 120 with --chart)',
        valueHint: 'N',
      },
      start,
      end,
      chart: { type: 'boolean', description: 'Draw the close series as a chart in the terminal' },
    },
    run: async (args) => (await import('./data-show')).dataShow(context, args),
  });
}

/** `ktrdr data load`. */
export function dataLoadCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr data load',
    description: 'Load bars from IB into the store, following the load operation (Ctrl+C cancels it)',
    args: {
      symbol,
      timeframe: timeframe('1h'),
      mode: {
        type: 'string',
        alias: 'm',
        description:
          'tail (newer than stored), backfill (older), full (both and holes), local (store only); default tail',
        valueHint: 'MODE',
      },
      start,
      end,
      progress: {
        type: 'boolean',
        default: true,
        description: 'Show progress',
        negativeDescription: 'Hide progress',
      },
      'refetch-empty': {
        type: 'boolean',
        description: 'Ask IB again for ranges it recently answered with "no data" (otherwise skipped)',
      },
      pacing: {
        type: 'string',
        description:
          "practical (IB's hard pacing rules for bars of 30 s or less, adaptive above) or strict (the hard " +
          'rules for every bar size); default KTRDR_IB_PACING, else practical',
        valueHint: 'POLICY',
      },
    },
    run: async (args) => (await import('./data-load')).dataLoad(context, args),
  });
}

/** `ktrdr data range`. */
export function dataRangeCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr data range',
    description: 'Show the first and last stored bar of a series',
    args: { symbol, timeframe: timeframe('1h') },
    run: async (args) => (await import('./data-range')).dataRange(context, args),
  });
}

/** `ktrdr data symbols`. */
export function dataSymbolsCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr data symbols',
    description: 'List the stored series: symbol, timeframe, bars, range, real or simulated',
    args: {},
    run: async () => (await import('./data-symbols')).dataSymbols(context),
  });
}

/** `ktrdr data`: bars in the store and loads from IB. */
export function dataCommand(context: CliContext): CommandDef<ArgsDef> {
  return groupCommand(context, {
    path: 'ktrdr data',
    description: 'Bars: show stored data, load from IB, stored ranges and symbols',
    subCommands: {
      show: async () => dataShowCommand(context),
      load: async () => dataLoadCommand(context),
      range: async () => dataRangeCommand(context),
      symbols: async () => dataSymbolsCommand(context),
    },
  });
}
