import type { ArgsDef, CommandDef } from 'citty';
import { groupCommand, leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

const symbol = { type: 'positional', description: 'Symbol, e.g. AAPL or EUR.USD', required: true } as const;

/** `ktrdr ib status`. */
export function ibStatusCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr ib status',
    description: 'Check the IB connection (direct, or the IB host service when USE_IB_HOST_SERVICE=true)',
    args: {},
    run: async () => (await import('./ib-actions')).ibStatus(context),
  });
}

/** `ktrdr ib validate`. */
export function ibValidateCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr ib validate',
    description: 'Ask IB whether it knows a symbol; show its contract (exit 3 when unknown)',
    args: {
      symbol,
      timeframe: {
        type: 'string',
        alias: 't',
        description: 'Also read the head timestamp for this timeframe',
        valueHint: 'TF',
      },
    },
    run: async (args) => (await import('./ib-actions')).ibValidate(context, args),
  });
}

/** `ktrdr ib head-timestamp`. */
export function ibHeadTimestampCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr ib head-timestamp',
    description: 'Show the earliest data point IB has for a symbol',
    args: {
      symbol,
      timeframe: { type: 'string', alias: 't', description: 'Timeframe (default 1h)', valueHint: 'TF' },
    },
    run: async (args) => (await import('./ib-actions')).ibHeadTimestamp(context, args),
  });
}

/** `ktrdr ib search`. */
export function ibSearchCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr ib search',
    description: "Search IB's symbols by symbol or name, e.g. 'meta' or 'spdr' (exit 3 when nothing matches)",
    args: {
      pattern: { type: 'positional', description: 'Start of a symbol, or part of a name', required: true },
    },
    run: async (args) => (await import('./ib-actions')).ibSearch(context, args),
  });
}

/** `ktrdr ib`: the IB connection itself. */
export function ibCommand(context: CliContext): CommandDef<ArgsDef> {
  return groupCommand(context, {
    path: 'ktrdr ib',
    description: 'The IB connection: status, symbol search and validation, head timestamps',
    subCommands: {
      status: async () => ibStatusCommand(context),
      search: async () => ibSearchCommand(context),
      validate: async () => ibValidateCommand(context),
      'head-timestamp': async () => ibHeadTimestampCommand(context),
    },
  });
}
