import type { ArgsDef, CommandDef } from 'citty';
import { groupCommand, leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

const id = {
  type: 'positional',
  description: 'Operation id, e.g. op_data_load_20240131_143000_1a2b3c4d',
  required: true,
} as const;

/** `ktrdr operations list`. */
export function operationsListCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr operations list',
    description: 'List operations (loads, trainings), newest first',
    args: {
      status: {
        type: 'string',
        description: 'Only pending, running, completed, failed or cancelled ones',
        valueHint: 'STATUS',
      },
      type: { type: 'string', description: 'Only this type, e.g. data_load or training', valueHint: 'TYPE' },
      limit: { type: 'string', description: 'At most N operations (a page)', valueHint: 'N' },
      offset: {
        type: 'string',
        description: 'Skip the N newest matching operations (the next page: --offset of the last + --limit)',
        valueHint: 'N',
      },
    },
    run: async (args) => (await import('./operations-actions')).operationsList(context, args),
  });
}

/** `ktrdr operations status`. */
export function operationsStatusCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr operations status',
    description: 'Show one operation: status, progress, result or error',
    args: { id },
    run: async (args) => (await import('./operations-actions')).operationsStatus(context, args),
  });
}

/** `ktrdr operations follow`. */
export function operationsFollowCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr operations follow',
    description: 'Follow an operation to its end with progress (Ctrl+C stops following; it keeps running)',
    args: {
      id,
      progress: {
        type: 'boolean',
        default: true,
        description: 'Show progress',
        negativeDescription: 'Hide progress',
      },
    },
    run: async (args) => (await import('./operations-actions')).operationsFollow(context, args),
  });
}

/** `ktrdr operations cancel`. */
export function operationsCancelCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr operations cancel',
    description: 'Cancel a running operation',
    args: {
      id,
      reason: { type: 'string', description: 'Why, recorded with the operation', valueHint: 'TEXT' },
    },
    run: async (args) => (await import('./operations-actions')).operationsCancel(context, args),
  });
}

/** `ktrdr operations`: long-running work of a ktrdr API (use with --url). */
export function operationsCommand(context: CliContext): CommandDef<ArgsDef> {
  return groupCommand(context, {
    path: 'ktrdr operations',
    description:
      'Operations (loads, trainings) of a ktrdr API: list, status, follow, cancel (use with --url)',
    subCommands: {
      list: async () => operationsListCommand(context),
      status: async () => operationsStatusCommand(context),
      follow: async () => operationsFollowCommand(context),
      cancel: async () => operationsCancelCommand(context),
    },
  });
}
