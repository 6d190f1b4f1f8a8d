import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  executionReplySubject,
  type ExecutionAnswer,
  type ExecutionCommand,
} from '@tightloop/contracts';
import { runBacktest } from '@tightloop/runner';
import type { RunningStageService } from '@tightloop/stage-host';
import {
  dropSchemaAndClose,
  freshSchemaName,
  openTestPostgres,
  TEST_DATABASE_URL,
} from '../../libs/persistence/src/store-test.fixture';
import { startPrivateNats } from '../support/private-nats';
import { STAGE_SERVICES } from '../support/stage-services';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tl-exec-'));
let NATS = '';
let env: Record<string, string> = {};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function backtest(transport: 'nats' | 'in-process', runId: string) {
  const outDir = path.join(tmp, runId);
  const run = runBacktest({
    strategy: 'btc_basis',
    start: '2024-06-01',
    end: '2024-06-08',
    outDir,
    cacheDir: path.join(tmp, 'cache'),
    runId,
    transport:
      transport === 'nats'
        ? { kind: 'nats', natsUrl: NATS, requestTimeoutMs: 5_000 }
        : { kind: 'in-process' },
  });
  return { outDir, run };
}

/** The execution commands on the wire, as core NATS sees JetStream's subjects. */
function watchCommands(nc: NatsConnection) {
  const commands: ExecutionCommand[] = [];
  nc.subscribe('tightloop.run.*.execute', {
    callback: (_e, msg) => void commands.push(msg.json<ExecutionCommand>()),
  });
  return commands;
}

function answers(nc: NatsConnection, runId: string) {
  const got: ExecutionAnswer[] = [];
  nc.subscribe(executionReplySubject(runId), {
    callback: (_e, msg) => void got.push(msg.json<ExecutionAnswer>()),
  });
  return got;
}

async function until(check: () => boolean, what: string, ms = 10_000) {
  for (const t0 = Date.now(); !check(); await pause(25)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
  }
}

// Story: executing a unit changes the world, so it is sent as a durable command. A unit
// sent while the execution service is down waits for it; a unit asked twice is executed
// once, also across a restart of the service, whose ledger is in its own Postgres schema.
describe('execution commands over JetStream', () => {
  let nats: Awaited<ReturnType<typeof startPrivateNats>>;
  let nc: NatsConnection;
  const services: RunningStageService[] = [];

  beforeAll(async () => {
    // A NATS server of this file's own: every other suite's execution services consume the
    // same durable subject on the shared server and would answer these commands too.
    nats = await startPrivateNats(4334);
    NATS = nats.url;
    env = { NATS_URL: NATS, HTTP_PORT: '0', LOG_LEVEL: 'error' as const };
    nc = await connect({ servers: NATS });
    const { execution: _execution, ...monitors } = STAGE_SERVICES;
    for (const start of Object.values(monitors)) services.push(await start(env));
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await nc?.drain();
    await nats?.stop();
  });

  it('keeps a unit sent while the execution service is down, and executes it when it is back', async () => {
    const reference = backtest('in-process', 'exec-reference');
    await reference.run;
    // The service's durable queue exists from its first start on, and outlives it.
    await (await STAGE_SERVICES.execution(env)).close();
    const commands = watchCommands(nc);
    const remote = backtest('nats', 'exec-durable');
    let finished = false;
    void remote.run.then(
      () => (finished = true),
      () => (finished = true),
    );
    await until(() => commands.length > 0, 'the first execution command');
    await pause(1_500);
    expect(finished).toBe(false);

    const execution = await STAGE_SERVICES.execution(env);
    try {
      await remote.run;
    } finally {
      await execution.close();
    }
    for (const file of ['instructions.csv', 'equity.csv', 'positions.csv']) {
      expect([file, readFileSync(path.join(remote.outDir, file), 'utf8')]).toEqual([
        file,
        readFileSync(path.join(reference.outDir, file), 'utf8'),
      ]);
    }
    // The stored command was delivered; the loop did not have to send anything twice.
    const keys = commands.map((c) => {
      const r = c.request as { tickIndex: number; seq: number };
      return `${r.tickIndex}:${r.seq}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('executes a unit asked twice once, and remembers it across a restart (Postgres ledger)', async () => {
    const schema = freshSchemaName();
    const withDb = { ...env, DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: schema };
    let execution = await STAGE_SERVICES.execution(withDb);
    try {
      const commands = watchCommands(nc);
      await backtest('nats', 'exec-ledger').run;
      const first = commands[0]!;
      const executed = commands.length;
      const runId = 'exec-ledger';
      const got = answers(nc, runId);
      await nc.flush();

      nc.publish('tightloop.run.exec-ledger.execute', JSON.stringify(first));
      await until(() => got.length === 1, 'the answer to a repeated unit');
      expect(got[0]).toMatchObject({ fromLedger: true });

      await execution.close(); // stores its last ledger batch
      const db = await openTestPostgres(schema, ['checkpoints']);
      try {
        const rows: { n: string }[] = await db.query(
          `SELECT count(*) AS n FROM "${schema}"."checkpoint" WHERE run_id = $1`,
          [runId],
        );
        expect(Number(rows[0]!.n)).toBe(executed);
      } finally {
        await db.destroy();
      }

      execution = await STAGE_SERVICES.execution(withDb);
      nc.publish('tightloop.run.exec-ledger.execute', JSON.stringify(first));
      await until(() => got.length === 2, 'the answer after a restart');
      expect(got[1]).toMatchObject({ fromLedger: true, fills: got[0]!.fills });
    } finally {
      await execution.close();
      await dropSchemaAndClose(await openTestPostgres(schema, ['checkpoints']), schema);
    }
  });

  it('answers a malformed request with its error, and dead-letters what is no command', async () => {
    const execution = await STAGE_SERVICES.execution(env);
    try {
      const got = answers(nc, 'exec-bad');
      const dead: unknown[] = [];
      nc.subscribe('tightloop.dlq.>', { callback: (_e, msg) => void dead.push(msg.json()) });
      await nc.flush();
      const bad: ExecutionCommand = {
        replyTo: executionReplySubject('exec-bad'),
        request: { runId: 'exec-bad', tickIndex: 0, seq: 0, unit: 'nonsense' },
      };
      nc.publish('tightloop.run.exec-bad.execute', JSON.stringify(bad));
      nc.publish('tightloop.run.exec-bad.execute', JSON.stringify({ hello: 'world' }));
      await until(() => got.length === 1 && dead.length === 1, 'the error and the dead letter');
      expect(got[0]!.error).toMatchObject({ code: 'STAGE.BAD_REQUEST' });
      expect(got[0]!.error!.message).toMatch(/execution\.execute: request rejected by its schema/);
      expect(dead[0]).toMatchObject({
        subject: 'tightloop.run.exec-bad.execute',
        error: expect.stringMatching(/not an execution command/),
      });
    } finally {
      await execution.close();
    }
  });
});
