import type { ArgDef, ArgsDef, CommandDef, CommandMeta } from 'citty';
import { CliUsageError } from './cli-errors';

/** The command a command line names, with the path to it. */
export interface ResolvedCommand {
  /** Root first, the named command last. */
  chain: CommandDef<ArgsDef>[];
  /** `ktrdr data show`. */
  path: string;
  /** The arguments after the command's name. */
  tokens: string[];
}

type Resolvable<T> = T | Promise<T> | (() => T) | (() => Promise<T>);

/** citty accepts values, promises and (async) functions for a command's parts. */
async function resolveValue<T>(value: Resolvable<T>): Promise<T> {
  return typeof value === 'function' ? (value as () => T | Promise<T>)() : value;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function aliasesOf(def: ArgDef): string[] {
  const alias = (def as { alias?: string | string[] }).alias;
  return alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
}

/** Every spelling of an option citty accepts: its name, camel and kebab forms, and its aliases. */
function spellings(name: string, def: ArgDef): string[] {
  return [name, camel(name), kebab(name), ...aliasesOf(def)];
}

/** Names of the options of `args` that take a value (the next token is not a command or argument). */
function valueOptions(args: ArgsDef): Set<string> {
  const names = new Set<string>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'string' || def.type === 'enum')
      for (const spelling of spellings(name, def)) names.add(spelling);
  }
  return names;
}

const optionName = (token: string) => token.replace(/^--?/, '').split('=')[0] as string;
const isOption = (token: string) => token.startsWith('-') && token !== '-' && !/^-\d/.test(token);

/** Index of the first token that is neither an option nor an option's value, or -1. */
function firstPositional(tokens: readonly string[], args: ArgsDef): number {
  const takesValue = valueOptions(args);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token === '--') return -1;
    if (isOption(token)) {
      if (!token.includes('=') && takesValue.has(optionName(token))) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** `Did you mean 'symbols'?` when a known name is close to what was typed. */
export function suggestion(typed: string, known: readonly string[]): string {
  const best = known
    .map((name) => ({ name, d: distance(typed.toLowerCase(), name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  // One slip in a short word, two in a longer one (a swap of two letters counts as two).
  const allowed = typed.length >= 4 ? 2 : 1;
  return best !== undefined && best.d <= allowed ? ` Did you mean '${best.name}'?` : '';
}

/**
 * Finds the command a command line names, loading only the modules on the way. Unknown commands
 * fail here with the list of known ones, before anything runs.
 */
export async function resolveCommand(
  root: CommandDef<ArgsDef>,
  rawArgs: readonly string[],
): Promise<ResolvedCommand> {
  const chain: CommandDef<ArgsDef>[] = [root];
  let tokens = [...rawArgs];
  let path = 'ktrdr';
  for (let command = root; ;) {
    const subCommands =
      command.subCommands === undefined ? undefined : await resolveValue(command.subCommands);
    if (subCommands === undefined) break;
    const index = firstPositional(tokens, await resolveValue(command.args ?? {}));
    if (index < 0) break;
    const name = tokens[index] as string;
    const entry = subCommands[name];
    if (entry === undefined) {
      const known = Object.keys(subCommands);
      throw new CliUsageError(
        `Unknown command '${name}' for '${path}'.${suggestion(name, known)} Commands: ${known.join(', ')}.`,
        path,
      );
    }
    command = (await resolveValue(entry)) as CommandDef<ArgsDef>;
    chain.push(command);
    path = `${path} ${name}`;
    tokens = tokens.slice(index + 1);
  }
  return { chain, path, tokens };
}

/**
 * Rejects what citty would silently ignore: an option no command on the path declares (a typo such
 * as `--rwos` would otherwise fall back to the default) and arguments beyond the declared ones.
 */
export async function checkArguments(resolved: ResolvedCommand, rawArgs: readonly string[]): Promise<void> {
  const known = new Set(['help', 'h']);
  const takesValue = new Set<string>();
  for (const command of resolved.chain) {
    const args = await resolveValue(command.args ?? {});
    for (const [name, def] of Object.entries(args)) {
      if (def.type === 'positional') continue;
      for (const spelling of spellings(name, def)) {
        known.add(spelling);
        if (def.type === 'boolean') known.add(`no-${spelling}`);
      }
      for (const spelling of valueOptions({ [name]: def })) takesValue.add(spelling);
    }
  }
  const help = `Run '${resolved.path} --help' for its options.`;
  for (const token of rawArgs) {
    if (token === '--') break;
    if (isOption(token) && !known.has(optionName(token))) {
      throw new CliUsageError(`Unknown option '${token}' for '${resolved.path}'. ${help}`, resolved.path);
    }
  }
  const leaf = resolved.chain[resolved.chain.length - 1] as CommandDef<ArgsDef>;
  if (leaf.subCommands !== undefined) return;
  const leafArgs = await resolveValue(leaf.args ?? {});
  const declared = Object.values(leafArgs).filter((def) => def.type === 'positional').length;
  const positionals: string[] = [];
  for (let i = 0; i < resolved.tokens.length; i++) {
    const token = resolved.tokens[i] as string;
    if (token === '--') {
      positionals.push(...resolved.tokens.slice(i + 1));
      break;
    }
    if (isOption(token)) {
      if (!token.includes('=') && takesValue.has(optionName(token))) i++;
      continue;
    }
    positionals.push(token);
  }
  if (positionals.length > declared) {
    throw new CliUsageError(
      `Unexpected argument '${positionals[declared]}' for '${resolved.path}'. ${help.replace('its options', 'usage')}`,
      resolved.path,
    );
  }
}

/** The meta of a command, resolved. */
export async function metaOf(command: CommandDef<ArgsDef>): Promise<CommandMeta> {
  return command.meta === undefined ? {} : await resolveValue(command.meta);
}
