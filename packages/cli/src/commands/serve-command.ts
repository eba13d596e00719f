import type { ArgsDef, CommandDef } from 'citty';
import { leafCommand } from '../cli/command-kit';
import type { CliContext } from '../cli/context';

/** `ktrdr serve`: run a ktrdr server in the foreground. */
export function serveCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr serve',
    description:
      'Run a server until Ctrl+C: the backend API (8000), the IB host service (8001) or the training host (8002)',
    args: {
      kind: { type: 'positional', description: 'api, ib-host or training-host', required: true },
      host: {
        type: 'string',
        description: 'Interface to bind (default 127.0.0.1; others need KTRDR_API_TOKEN)',
        valueHint: 'HOST',
      },
      port: {
        type: 'string',
        description: 'Port (default 8000, 8001 or 8002 by kind; 0 picks a free one)',
        valueHint: 'PORT',
      },
      open: { type: 'boolean', description: 'api only: open the web dashboard (/dashboard) in the browser' },
      redis: {
        type: 'string',
        description: 'api only: run loads and trainings as jobs on this Redis (default KTRDR_REDIS_URL)',
        valueHint: 'URL',
      },
    },
    run: async (args) => (await import('./serve-action')).serve(context, args),
  });
}
