/**
 * The public surface of `@ktrdr/core`: errors, configuration, transports, service contracts,
 * `AsyncHostService` and operations. Everything exported here is supported API; anything else is
 * internal and may change.
 */
export * from './errors/index';
