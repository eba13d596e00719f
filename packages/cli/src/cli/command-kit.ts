import type { ArgsDef, CommandDef, ParsedArgs } from 'citty';
import type { CliContext } from './context';
import { GLOBAL_ARGS } from './global-args';

/** A sub-command loaded on demand, so that `--help` and other commands never import its code. */
export type LazyCommand = () => Promise<CommandDef<ArgsDef>>;

/** What a leaf command declares. */
export interface LeafSpec<T extends ArgsDef> {
  /** Full command path, e.g. `ktrdr data show` (shown in help and error hints). */
  path: string;
  description: string;
  args: T;
  run(args: ParsedArgs<T & typeof GLOBAL_ARGS>): Promise<void>;
}

/**
 * A command that does something. The global options are accepted here as well, so they may follow
 * the command (`ktrdr data show AAPL -f json`) as well as precede it.
 */
export function leafCommand<T extends ArgsDef>(context: CliContext, spec: LeafSpec<T>): CommandDef<ArgsDef> {
  return {
    meta: { name: spec.path, description: spec.description },
    args: { ...spec.args, ...GLOBAL_ARGS },
    async run({ args }) {
      context.absorb(args);
      // Check -f before any work: a typo must not cost a load.
      void context.format;
      await spec.run(args as ParsedArgs<T & typeof GLOBAL_ARGS>);
    },
  };
}

/** A command that groups sub-commands (`ktrdr data`). */
export function groupCommand(
  context: CliContext,
  spec: { path: string; description: string; subCommands: Record<string, LazyCommand> },
): CommandDef<ArgsDef> {
  return {
    meta: { name: spec.path, description: spec.description },
    args: { ...GLOBAL_ARGS },
    subCommands: spec.subCommands,
    setup({ args }) {
      context.absorb(args);
    },
  };
}
