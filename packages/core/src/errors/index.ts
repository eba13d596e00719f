/**
 * Errors: one `KtrdrError` base with a closed set of codes, its classes, guards and JSON/HTTP
 * round trip. Also published on its own as `@ktrdr/core/errors`, which loads no service machinery
 * (no zod), for tools that start fast.
 */
export * from './codes';
export * from './ktrdr-error';
export * from './error-classes';
export * from './serialization';
