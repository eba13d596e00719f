import type { ArgsDef, CommandDef } from 'citty';
import { leafCommand } from '../../cli/command-kit';
import type { CliContext } from '../../cli/context';

/** `ktrdr dashboard`: find the API (or start one) and print the web dashboard's URL. */
export function dashboardCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr dashboard',
    description:
      'Print the web dashboard URL of the API at --url / KTRDR_API_URL (or 127.0.0.1:8000); with none running, start one until Ctrl+C',
    args: {
      host: {
        type: 'string',
        description: 'Interface of an API started here (default 127.0.0.1; others need KTRDR_API_TOKEN)',
        valueHint: 'HOST',
      },
      port: { type: 'string', description: 'Port to look at and start on (default 8000)', valueHint: 'PORT' },
      open: { type: 'boolean', description: 'Also open it in the default browser' },
    },
    run: async (args) => (await import('./dashboard-action')).dashboard(context, args),
  });
}
