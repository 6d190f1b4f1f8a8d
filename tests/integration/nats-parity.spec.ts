import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { STRATEGY_MODES } from '@tightloop/contracts';
import { TypeOrmCheckpointStore } from '@tightloop/persistence';
import { runBacktest, type RunCheckpointState } from '@tightloop/runner';
import type { RunningStageService } from '@tightloop/stage-host';
import type { DataSource } from 'typeorm';
import {
  dropSchemaAndClose,
  freshSchemaName,
  openTestPostgres,
  TEST_DATABASE_URL,
} from '../../libs/persistence/src/store-test.fixture';
import { startPrivateNats } from '../support/private-nats';
import { startStageServices } from '../support/stage-services';

const WINDOW = { start: '2024-07-01', end: '2024-08-01' };
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'tl-parity-cache-'));
const dataDir = process.env.TIGHTLOOP_DATA_DIR || undefined;

/** A month over NATS stores a checkpoint every 100 ticks, as the run controller does. */
const CHECKPOINT_EVERY = 100;

async function run(
  strategy: string,
  transport: { natsUrl: string; checkpoints: DataSource } | 'in-process',
  configOverrides: Record<string, unknown> = {},
) {
  const kind = transport === 'in-process' ? transport : 'nats';
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), `tl-parity-${kind}-`)), 'run');
  const flows = configOverrides.capitalFlows ? '-flows' : '';
  const runId = `parity-${kind}-${strategy.replace(/_/g, '-')}${flows}-${process.pid}`;
  await runBacktest(
    {
      strategy,
      ...WINDOW,
      outDir,
      cacheDir,
      runId,
      configOverrides,
      ...(dataDir ? { dataDir } : {}),
      transport:
        transport === 'in-process'
          ? { kind: 'in-process' }
          : { kind: 'nats', natsUrl: transport.natsUrl, requestTimeoutMs: 5_000 },
    },
    {},
    transport === 'in-process'
      ? {}
      : {
          checkpoints: {
            store: new TypeOrmCheckpointStore<RunCheckpointState>(transport.checkpoints),
            everyTicks: CHECKPOINT_EVERY,
          },
        },
  );
  return { outDir, runId };
}

const count = async (db: DataSource, schema: string, runId: string) =>
  Number(
    (
      (await db.query(`SELECT count(*) AS n FROM "${schema}"."checkpoint" WHERE run_id = $1`, [
        runId,
      ])) as { n: string }[]
    )[0]!.n,
  );

// Story: the same backtest, in one process and across the six stage services over real
// NATS and Postgres (the run's checkpoints, the execution service's ledger), must give the
// same results byte for byte (summary.json differs only in wall time).
describe('parity: in process vs six services over NATS and Postgres', () => {
  let services: RunningStageService[];
  let observer: NatsConnection;
  let nats: Awaited<ReturnType<typeof startPrivateNats>>;
  const ledgerSchema = freshSchemaName();
  const runSchema = freshSchemaName();
  let ledger: DataSource;
  let checkpoints: DataSource;
  /** Ticks the strategy service decided: every tick of a run over NATS must be one. */
  let ticksDecided = 0;
  beforeAll(async () => {
    // A NATS server of its own, so that no other suite's execution service (with its
    // ledger in memory) takes these runs' units.
    nats = await startPrivateNats(4337);
    ledger = await openTestPostgres(ledgerSchema, ['checkpoints']);
    checkpoints = await openTestPostgres(runSchema, ['checkpoints']);
    services = await startStageServices(1, {}, nats.url, {
      DATABASE_URL: TEST_DATABASE_URL,
      DB_SCHEMA: ledgerSchema,
    });
    // Reads the chained ticks coming back from the strategy service (one message may open
    // several ticks ahead), so parity cannot pass without the services.
    observer = await connect({ servers: nats.url });
    observer.subscribe('tightloop-chain-reply.>', {
      callback: (_error, msg) => {
        const { data } = msg.json<{ data: { out: unknown[]; error?: unknown } }>();
        if (!data.error) ticksDecided += data.out.length;
      },
    });
  });
  afterAll(async () => {
    await observer?.drain();
    for (const s of services ?? []) await s.close();
    await nats?.stop();
    await dropSchemaAndClose(ledger, ledgerSchema);
    await dropSchemaAndClose(checkpoints, runSchema);
  });

  it.each(STRATEGY_MODES)('%s: one month gives identical results', async (strategy) => {
    const { outDir: local } = await run(strategy, 'in-process');
    const before = ticksDecided;
    const { outDir: remote, runId } = await run(strategy, { natsUrl: nats.url, checkpoints });
    await observer.flush();
    expect(ticksDecided - before).toBeGreaterThanOrEqual(745); // every hour of July, and its end
    // Postgres was in the loop: the run's checkpoints, and the units in the ledger (the
    // first loop always acts; the ledger writes its last batch within 200 ms).
    expect(await count(checkpoints, runSchema, runId)).toBe(Math.ceil(745 / CHECKPOINT_EVERY));
    await new Promise((r) => setTimeout(r, 300));
    expect(await count(ledger, ledgerSchema, runId)).toBeGreaterThan(0);
    const files = readdirSync(local);
    expect(readdirSync(remote).sort()).toEqual([...files].sort());
    for (const file of files.filter((f) => f !== 'summary.json')) {
      expect([
        file,
        readFileSync(path.join(remote, file)).equals(readFileSync(path.join(local, file))),
      ]).toEqual([file, true]);
    }
    const summary = (dir: string) => ({
      ...JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')),
      wallSeconds: 0,
    });
    expect(summary(remote)).toEqual(summary(local));
  });

  it('btc_basis with a deposit and a withdrawal mid-month gives identical results', async () => {
    // Ticks with capital moving cannot be speculated: the loop opens them anew.
    const flows = {
      capitalFlows: [
        { at: '2024-07-10T05:00:00Z', amount: 50_000 },
        { at: '2024-07-20T17:00:00Z', amount: -30_000 },
      ],
    };
    const { outDir: local } = await run('btc_basis', 'in-process', flows);
    const { outDir: remote } = await run('btc_basis', { natsUrl: nats.url, checkpoints }, flows);
    const events = readFileSync(path.join(local, 'events.csv'), 'utf8');
    expect(events).toContain('CAPITAL.DEPOSIT');
    expect(events).toContain('CAPITAL.WITHDRAWAL_PAID');
    for (const file of readdirSync(local).filter((f) => f !== 'summary.json'))
      expect([
        file,
        readFileSync(path.join(remote, file)).equals(readFileSync(path.join(local, file))),
      ]).toEqual([file, true]);
  });
});
