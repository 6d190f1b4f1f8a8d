export * from './checkpoint.entity';
export * from './run.entity';
export * from './persistence.migrations';
export * from './data-source.factory';
export { assertSchemaName } from './schema-name.guard';
export { PGliteDataSource } from './pglite.data-source';
export * from './typeorm.checkpoint-store';
export * from './typeorm.run-registry';
export * from './in-memory.checkpoint-store';
export * from './in-memory.run-registry';
export * from './run-registry.errors';
export type { RunPatch } from './run-record.patch';
// The contract suites are exported like transport's, so any other implementation of the
// ports (in another library or app) runs the same tests. They only touch jest globals
// when called.
export * from './checkpoint-store.contract';
export * from './run-registry.contract';
export * from './database.env';
