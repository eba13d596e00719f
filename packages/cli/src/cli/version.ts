import packageJson from '../../package.json';

/** Version of `@ktrdr/cli`, printed by `ktrdr --version` (inlined at build time). */
export const VERSION: string = packageJson.version;
