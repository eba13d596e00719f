import type { ArgsDef, CommandDef } from 'citty';
import { leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

/** `ktrdr workers`: the queue's workers, from the API (`--url`) or straight from Redis (`--redis`). */
export function workersCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr workers',
    description: 'List the workers running queued jobs: host, queues, current jobs, last heartbeat',
    args: {
      redis: {
        type: 'string',
        description: 'Read Redis directly (default KTRDR_REDIS_URL) instead of an API (--url)',
        valueHint: 'URL',
      },
    },
    run: async (args) => (await import('./workers-action')).listWorkers(context, args),
  });
}
