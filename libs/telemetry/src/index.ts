export * from './telemetry.config';
export * from './telemetry.bootstrap';
export * from './trace-context.propagation';
export * from './with-span.helper';
export * from './loop-span.attributes';
export * from './trace-aware.logger';
export * from './in-memory.telemetry';
