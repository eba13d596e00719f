import packageJson from '../../package.json';

/** The version of @ktrdr/server, inlined at build time: the `info.version` of the OpenAPI documents. */
export const SERVER_VERSION: string = packageJson.version;
