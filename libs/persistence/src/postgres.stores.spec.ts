import type { DataSource } from 'typeorm';
import {
  describeTypeOrmStoreContracts,
  dropSchemaAndClose,
  freshSchemaName,
  openTestPostgres,
} from './store-test.fixture';

// A schema of its own, dropped afterwards: parallel test files share the server.
const schema = freshSchemaName();
let dataSource: DataSource;
beforeAll(async () => {
  dataSource = await openTestPostgres(schema);
});
afterAll(async () => {
  await dropSchemaAndClose(dataSource, schema);
});

describeTypeOrmStoreContracts('Postgres', () => dataSource);
