/** The parts of a citty argument definition the check needs. */
interface ArgShape {
  type?: string;
  alias?: string | string[];
}

/**
 * The first usage problem in `rawArgs` that citty's parser lets through: an option the command does
 * not declare (a typo would otherwise fall back to the default), a value option with no value
 * (citty takes the next flag as the value), or a stray argument. Undefined when there is none.
 * The same rule as `ktrdr`'s, so every ktrdr bin refuses the same mistakes (`ktrdr-ib-sim` keeps a
 * copy: the simulator depends on no other package of ours).
 */
export function findUsageProblem(
  rawArgs: readonly string[],
  args: Readonly<Record<string, ArgShape>>,
): string | undefined {
  const flags = new Set<string>();
  const valued = new Set<string>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    for (const spelling of [name, ...[def.alias ?? []].flat()]) {
      (def.type === 'boolean' ? flags : valued).add(spelling);
    }
  }
  for (let i = 0; i < rawArgs.length; i += 1) {
    const token = rawArgs[i] ?? '';
    if (!token.startsWith('-') || token === '-' || token === '--') return `Unexpected argument '${token}'`;
    const [flag = token, inline] = token.split(/=(.*)/s, 2);
    const name = flag.replace(/^--?/, '');
    if (flags.has(name)) continue;
    if (!valued.has(name)) return `Unknown option ${flag}`;
    if (inline !== undefined) {
      if (inline === '') return `${flag} needs a value`;
      continue;
    }
    const next = rawArgs[i + 1];
    if (next === undefined || next.startsWith('--')) return `${flag} needs a value`;
    i += 1;
  }
  return undefined;
}

/** Help as citty renders it, for a terminal or (colours and padding removed) for a pipe or file. */
export function plainUsage(text: string, tty: boolean): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are what is removed
  const plain = tty ? text : text.replace(/\u001b\[[0-9;]*m/g, '');
  // citty pads every column, leaving trailing blanks that wrap narrow terminals.
  return plain.replace(/[ \t]+$/gm, '');
}
