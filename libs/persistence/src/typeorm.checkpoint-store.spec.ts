import type { DataSource } from 'typeorm';
import { dropSchemaAndClose, freshSchemaName, openTestPostgres } from './store-test.fixture';
import { MAX_CHECKPOINT_ROWS_PER_INSERT, TypeOrmCheckpointStore } from './typeorm.checkpoint-store';

const schema = freshSchemaName();
let dataSource: DataSource;
beforeAll(async () => {
  dataSource = await openTestPostgres(schema, ['checkpoints']);
});
afterAll(async () => {
  await dropSchemaAndClose(dataSource, schema);
});

const batch = (runId: string, count: number) =>
  Array.from({ length: count }, (_, tickIndex) => ({
    runId,
    tickIndex,
    seq: 0,
    state: { tickIndex },
  }));

/** The SQL statements the DataSource sends while `action` runs. */
async function statements(action: () => Promise<void>): Promise<string[]> {
  const spy = jest.spyOn(dataSource.logger, 'logQuery');
  try {
    await action();
    return spy.mock.calls.map(([sql]) => sql.trim().split(/\s+/).slice(0, 2).join(' '));
  } finally {
    spy.mockRestore();
  }
}

describe('TypeOrmCheckpointStore statements', () => {
  it('writes a batch with one multi-row INSERT', async () => {
    const store = new TypeOrmCheckpointStore(dataSource);
    expect(await statements(() => store.saveBatch(batch('one', 5_000)))).toEqual(['INSERT INTO']);
    expect(await store.since('one', 0, 0)).toHaveLength(5_000);
  });

  it('splits a batch beyond the bind-parameter limit inside one transaction', async () => {
    const store = new TypeOrmCheckpointStore(dataSource);
    const rows = 2 * MAX_CHECKPOINT_ROWS_PER_INSERT + 1;
    expect(await statements(() => store.saveBatch(batch('big', rows)))).toEqual([
      'START TRANSACTION',
      'INSERT INTO',
      'INSERT INTO',
      'INSERT INTO',
      'COMMIT',
    ]);
    expect((await store.latest('big'))?.tickIndex).toBe(rows - 1);
  });
});
