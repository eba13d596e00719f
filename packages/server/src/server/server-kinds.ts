/** The three ktrdr servers. */
export type ServerKind = 'api' | 'ib-host' | 'training-host';

/** Port each server listens on unless told otherwise (the Python KTRDR deployment's ports). */
export const DEFAULT_PORTS: Readonly<Record<ServerKind, number>> = Object.freeze({
  api: 8000,
  'ib-host': 8001,
  'training-host': 8002,
});

/** Where `startServer({ kind: 'api' })` mounts the API router (what `KTRDR_API_URL` ends with). */
export const DEFAULT_API_BASE_PATH = '/api/v1';

/** Display names, for logs and errors. */
export const SERVER_NAMES: Readonly<Record<ServerKind, string>> = Object.freeze({
  api: 'ktrdr API',
  'ib-host': 'IB host service',
  'training-host': 'Training host service',
});
