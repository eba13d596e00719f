import type { ArgsDef, CommandDef } from 'citty';
import { leafCommand } from '../cli/command-kit';
import type { CliContext } from '../cli/context';

/** `ktrdr sim`: the IB Gateway simulator in the foreground. */
export function simCommand(context: CliContext): CommandDef<ArgsDef> {
  return leafCommand(context, {
    path: 'ktrdr sim',
    description: 'Run the IB Gateway simulator (SIMULATED data) until Ctrl+C',
    args: {
      host: { type: 'string', description: 'Interface to listen on (default 127.0.0.1)', valueHint: 'HOST' },
      port: {
        type: 'string',
        description: 'TCP port (default 4002, the IB Gateway paper port; 0 picks a free one)',
        valueHint: 'PORT',
      },
      seed: {
        type: 'string',
        description: 'Seed of the synthetic prices (default 1): same seed, same bars',
        valueHint: 'SEED',
      },
      latency: {
        type: 'string',
        description: 'Answer latency in ms: 50, or a range such as 20-200 (default 0)',
        valueHint: 'MS',
      },
      pacing: {
        type: 'string',
        description: 'IB limits to enforce: practical (default), strict or off',
        valueHint: 'MODE',
      },
      'time-scale': {
        type: 'string',
        description: 'Speed-up of the pacing windows (default 1; 60 = a 10-minute window in 10 s)',
        valueHint: 'N',
      },
    },
    run: async (args) => (await import('./sim-action')).sim(context, args),
  });
}
