import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { requireOutsideJest } from './outside-jest.fixture';
import { describeTypeOrmStoreContracts, freshSchemaName } from './store-test.fixture';

jest.mock('@electric-sql/pglite', () => requireOutsideJest('@electric-sql/pglite'));

// One in-memory PGlite for the whole file: a fresh one takes 2-3 s to start.
let dataSource: DataSource;
beforeAll(async () => {
  dataSource = await createDataSource({ kind: 'pglite', schema: freshSchemaName() });
});
afterAll(async () => {
  await dataSource?.destroy();
});

describeTypeOrmStoreContracts('PGlite (in memory)', () => dataSource);
