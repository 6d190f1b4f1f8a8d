// `npm run bench:distributed`: one-year btc_basis with every stage a separate service
// process over NATS (`tightloop up`, each service's schema in Postgres), with and without
// the run's checkpoints in Postgres, against the same run in process; and the round trip
// of one stage request. Writes bench/results/distributed.json; BENCHMARKS.md summarises it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { stageRequestSubject } from '@tightloop/contracts';
import { computeExposure, emptyPositions } from '@tightloop/core';
import { createDataSource, TypeOrmCheckpointStore } from '@tightloop/persistence';
import { runBacktest, type BacktestServices, type RunCheckpointState } from '@tightloop/runner';
import { readTelemetryConfig, startTelemetry } from '@tightloop/telemetry';
import { startOtlpCollector } from '../libs/telemetry/src/testing/otlp-collector.fixture';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { firstValueFrom } from 'rxjs';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const root = path.join(__dirname, '..');
const dataDir = process.env.TIGHTLOOP_DATA_DIR || undefined;
/** The services' schemas and the run's checkpoints; `postgres` exists on a fresh server. */
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function waitReady(ports: number[]) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await Promise.all(
      ports.map((p) =>
        fetch(`http://127.0.0.1:${p}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    if (ok.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('stage services did not become ready');
}

async function backtest(
  transport: 'in-process' | 'nats',
  runId: string,
  services: BacktestServices = {},
) {
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-dist-bench-')), 'run');
  const t0 = process.hrtime.bigint();
  const { summary, timings } = await runBacktest(
    {
      runId,
      strategy: 'btc_basis',
      start: '2024-06-01',
      end: '2025-06-01',
      outDir,
      cacheDir: path.join(os.homedir(), '.cache', 'tightloop'),
      ...(dataDir ? { dataDir } : {}),
      transport:
        transport === 'nats' ? { kind: 'nats', natsUrl: NATS_URL } : { kind: 'in-process' },
    },
    {},
    services,
  );
  const ticks = (summary as { ticks: number }).ticks;
  return {
    transport,
    ticks,
    wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
    loopSeconds: timings.loopSeconds,
    ticksPerSecond: ticks / timings.loopSeconds,
  };
}

/**
 * What the chained messages of the runs carry, read off the wire: messages sent to the
 * position monitor, the ticks they asked it to open (the first and those ahead), and the
 * ticks the strategy decided. The loop takes at most one opened tick per tick.
 */
async function watchChain(nc: NatsConnection, runId: string) {
  const seen = { messages: 0, ticksOpened: 0, ticksDecided: 0 };
  nc.subscribe(`tightloop-chain.${runId}.positions.refresh`, {
    callback: (_e, msg) => {
      seen.messages++;
      seen.ticksOpened += 1 + msg.json<{ data: { ahead: unknown[] } }>().data.ahead.length;
    },
  });
  nc.subscribe(`tightloop-chain-reply.${runId}`, {
    callback: (_e, msg) => {
      seen.ticksDecided += msg.json<{ data: { out: unknown[] } }>().data.out.length;
    },
  });
  await nc.flush();
  return seen;
}

async function hopRoundTrip() {
  const client = ClientProxyFactory.create({
    transport: Transport.NATS,
    options: { servers: [NATS_URL] },
  });
  await client.connect();
  const market = {
    tsMs: 0,
    pricesUsd: { USDT: 1 },
    spotUsd: {},
    perpMarkUsd: {},
    fundingRatePer8h: {},
    aaveSupplyIndex: {},
    aaveBorrowIndex: {},
    lstRateEth: {},
    gasPriceGwei: 1,
  };
  const state = emptyPositions(['wallet:BaseToken:USDT']);
  computeExposure(state, market, 'USDT');
  const samples: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const t0 = process.hrtime.bigint();
    await firstValueFrom(
      client.send(stageRequestSubject('bench', 'exposure.compute'), {
        runId: 'bench',
        tickIndex: i,
        seq: 0,
        state,
        market,
        shareClass: 'USDT',
      }),
    );
    if (i >= 200) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await client.close();
  samples.sort((a, b) => a - b);
  return {
    medianMs: samples[Math.floor(samples.length / 2)]!,
    p99Ms: samples[Math.floor(samples.length * 0.99)]!,
  };
}

interface OtlpBody {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: unknown[] }[];
  }[];
}

/** Spans a stand-in collector received, by service name. */
function spansReceived(bodies: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const body of bodies) {
    for (const r of (JSON.parse(body) as OtlpBody).resourceSpans) {
      const name =
        r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
      counts[name] = (counts[name] ?? 0) + r.scopeSpans.reduce((n, s) => n + s.spans.length, 0);
    }
  }
  return counts;
}

async function main() {
  const basePort = 4101;
  // Traced runs export to a stand-in collector: the services trace a run only when its
  // messages carry a trace context, so the untraced runs cost what they cost without it.
  const collector = await startOtlpCollector();
  const up = spawn(
    process.execPath,
    [
      path.join(root, 'bin', 'tightloop.js'),
      'up',
      '--base-port',
      String(basePort),
      '--nats-url',
      NATS_URL,
    ],
    {
      stdio: 'ignore',
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        DATABASE_URL,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      },
    },
  );
  try {
    await waitReady([0, 1, 2, 3, 4, 5].map((k) => basePort + k));
    const hop = await hopRoundTrip();
    const local = await backtest('in-process', `bench-local-${process.pid}`);
    const observer = await connect({ servers: NATS_URL });
    const natsRun = `bench-nats-${process.pid}`;
    const natsChain = await watchChain(observer, natsRun);
    const nats = { ...(await backtest('nats', natsRun)), chain: natsChain };
    const schema = `bench_run_${process.pid}`;
    const checkpoints = await createDataSource({
      kind: 'postgres',
      url: DATABASE_URL,
      schema,
      tables: ['checkpoints'],
    });
    const persistedRun = `bench-persisted-${process.pid}`;
    const persistedChain = await watchChain(observer, persistedRun);
    const persisted = {
      ...(await backtest('nats', persistedRun, {
        checkpoints: { store: new TypeOrmCheckpointStore<RunCheckpointState>(checkpoints) },
      })),
      checkpoints: 'postgres, every 500 ticks',
      chain: persistedChain,
    };
    await checkpoints.query(`DROP SCHEMA "${schema}" CASCADE`);
    await checkpoints.destroy();

    const telemetry = startTelemetry(
      readTelemetryConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_SERVICE_NAME: 'bench',
      }),
      { logDestination: process.stderr },
    );
    const tracedRun = `bench-traced-${process.pid}`;
    const tracedChain = await watchChain(observer, tracedRun);
    const traced = {
      ...(await backtest('nats', tracedRun, { tracer: telemetry.tracer })),
      traced: 'OTLP/HTTP to a stand-in collector, every service',
      chain: tracedChain,
    };
    await telemetry.shutdown();
    await observer.drain();
    // The services flush their last spans as they stop.
    up.kill('SIGTERM');
    await new Promise((resolve) => up.once('exit', resolve));
    const spansExported = spansReceived(collector.received.map((r) => r.body));
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      dataset: dataDir ? 'real' : 'synthetic',
      hop,
      runs: [local, nats, persisted, { ...traced, spansExported }],
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      path.join(__dirname, 'results', 'distributed.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
  } finally {
    if (up.exitCode === null && up.signalCode === null) up.kill('SIGTERM');
    await collector.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
