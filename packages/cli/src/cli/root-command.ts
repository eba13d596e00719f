import type { ArgsDef, CommandDef } from 'citty';
import type { LazyCommand } from './command-kit';
import type { CliContext } from './context';
import { GLOBAL_ARGS } from './global-args';
import { VERSION } from './version';

/**
 * The `ktrdr` command. Every sub-command is a dynamic import, so `ktrdr --help` loads citty and
 * these few lines, never TF.js, ONNX Runtime, @stoqey/ib, arquero or express.
 */
export function createRootCommand(context: CliContext): CommandDef<ArgsDef> {
  const lazy =
    <M>(
      load: () => Promise<M>,
      pick: (module: M) => (context: CliContext) => CommandDef<ArgsDef>,
    ): LazyCommand =>
    async () =>
      pick(await load())(context);
  return {
    meta: {
      name: 'ktrdr',
      version: VERSION,
      description: 'Trading research on Interactive Brokers data: load bars, train and run models',
    },
    args: {
      ...GLOBAL_ARGS,
      version: { type: 'boolean', alias: 'V', description: 'Print the version and exit' },
    },
    subCommands: {
      data: lazy(
        () => import('../commands/data/data-command'),
        (m) => m.dataCommand,
      ),
      ib: lazy(
        () => import('../commands/ib/ib-command'),
        (m) => m.ibCommand,
      ),
      backtest: lazy(
        () => import('../commands/backtest/backtest-command'),
        (m) => m.backtestCommand,
      ),
      models: lazy(
        () => import('../commands/models/models-command'),
        (m) => m.modelsCommand,
      ),
      operations: lazy(
        () => import('../commands/operations/operations-command'),
        (m) => m.operationsCommand,
      ),
      serve: lazy(
        () => import('../commands/serve-command'),
        (m) => m.serveCommand,
      ),
      sim: lazy(
        () => import('../commands/sim-command'),
        (m) => m.simCommand,
      ),
      worker: lazy(
        () => import('../commands/worker/worker-command'),
        (m) => m.workerCommand,
      ),
      workers: lazy(
        () => import('../commands/workers/workers-command'),
        (m) => m.workersCommand,
      ),
      dashboard: lazy(
        () => import('../commands/dashboard/dashboard-command'),
        (m) => m.dashboardCommand,
      ),
      demo: lazy(
        () => import('../commands/demo-command'),
        (m) => m.demoCommand,
      ),
    },
    setup({ args }) {
      context.absorb(args);
    },
  };
}
