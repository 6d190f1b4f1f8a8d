import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import {
  dropSchemaAndClose,
  freshSchemaName,
  openTestPostgres,
  TEST_DATABASE_URL,
} from './store-test.fixture';
import { TypeOrmCheckpointStore } from './typeorm.checkpoint-store';
import { TypeOrmRunRegistry } from './typeorm.run-registry';

const migrationNames = async (ds: DataSource, schema: string) =>
  (await ds.query(`SELECT name FROM "${schema}"."migrations" ORDER BY id`)).map(
    (row: { name: string }) => row.name,
  );

describe('createDataSource on Postgres', () => {
  const opened: [DataSource, string][] = [];
  const open = async (schema: string, tables?: ('checkpoints' | 'runs')[]) => {
    const ds = await openTestPostgres(schema, tables);
    opened.push([ds, schema]);
    return ds;
  };
  afterAll(async () => {
    // Drop each schema once, from the last DataSource opened on it.
    const seen = new Set<string>();
    for (const [ds, schema] of opened.reverse()) {
      if (seen.has(schema)) await ds.destroy();
      else await dropSchemaAndClose(ds, schema);
      seen.add(schema);
    }
  });

  it('refuses a schema name that is not a plain identifier, before connecting', async () => {
    await expect(
      createDataSource({ kind: 'postgres', url: TEST_DATABASE_URL, schema: 'x"; DROP' }),
    ).rejects.toThrow(/invalid schema name/);
  });

  it('says which server it could not reach, without the password', async () => {
    const url = 'postgres://postgres:secret@127.0.0.1:1/test';
    const failure = createDataSource({ kind: 'postgres', url, schema: 'unreachable' });
    await expect(failure).rejects.toThrow(
      /cannot open schema unreachable on postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1/,
    );
  });

  it('keeps each service in its own schema', async () => {
    const [a, b] = [freshSchemaName(), freshSchemaName()];
    const storeA = new TypeOrmCheckpointStore(await open(a));
    const storeB = new TypeOrmCheckpointStore(await open(b));
    await storeA.saveBatch([{ runId: 'r', tickIndex: 1, seq: 0, state: 'a' }]);
    expect(await storeB.latest('r')).toBeNull();
    expect((await storeA.latest('r'))?.state).toBe('a');
  });

  it('creates only the tables asked for, and adds the others on a later start', async () => {
    const schema = freshSchemaName();
    const first = await open(schema, ['checkpoints']);
    expect(() => new TypeOrmRunRegistry(first)).toThrow(/no run table/);
    expect(await migrationNames(first, schema)).toEqual(['CreateCheckpointTable1767225600000']);
    const second = await open(schema, ['checkpoints', 'runs']);
    expect(await migrationNames(second, schema)).toEqual([
      'CreateCheckpointTable1767225600000',
      'CreateRunTable1767225600001',
      'AddRunResumeColumns1767225600002',
    ]);
    await new TypeOrmCheckpointStore(second).saveBatch([
      { runId: 'r', tickIndex: 0, seq: 0, state: 1 },
    ]);
    expect((await new TypeOrmCheckpointStore(first).latest('r'))?.state).toBe(1);
  });

  it('lets replicas that start together migrate the same new schema once', async () => {
    const schema = freshSchemaName();
    const replicas = await Promise.all([open(schema), open(schema), open(schema)]);
    expect(await migrationNames(replicas[0]!, schema)).toHaveLength(3);
  });
});
