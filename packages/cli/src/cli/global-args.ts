import type { ArgsDef } from 'citty';

/**
 * Options every command accepts, before or after the command name. They carry no defaults here, so
 * "not given" can be told apart from "given": the context applies defaults once all are read.
 */
export const GLOBAL_ARGS = {
  url: {
    type: 'string',
    description: 'Talk to a ktrdr API at URL (e.g. http://localhost:8000) instead of running in-process',
    valueHint: 'URL',
  },
  'data-dir': {
    type: 'string',
    description: 'Folder of the bar store (default ./data, KTRDR_DATA_DIR)',
    valueHint: 'DIR',
  },
  'models-dir': {
    type: 'string',
    description: 'Folder of trained models (default ./models, KTRDR_MODELS_DIR)',
    valueHint: 'DIR',
  },
  format: {
    type: 'string',
    alias: 'f',
    description: 'Output format: table, json or csv (default table)',
    valueHint: 'FORMAT',
  },
  verbose: { type: 'boolean', alias: 'v', description: 'Show details and causes of errors' },
} as const satisfies ArgsDef;

/** The global options as read from the command line. */
export interface GlobalOptions {
  url?: string;
  dataDir?: string;
  modelsDir?: string;
  format?: string;
  verbose?: boolean;
}
