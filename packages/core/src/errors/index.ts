export * from './codes';
export * from './ktrdr-error';
export * from './error-classes';
export * from './serialization';
