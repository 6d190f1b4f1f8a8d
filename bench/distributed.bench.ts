// `npm run bench:distributed`: one-year btc_basis with every stage a separate service
// process over NATS (`tightloop up`), against the same run in process; and the round trip
// of one stage request. Writes bench/results/distributed.json; BENCHMARKS.md summarises it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { stageRequestSubject } from '@tightloop/contracts';
import { computeExposure, emptyPositions } from '@tightloop/core';
import { runBacktest } from '@tightloop/runner';
import { firstValueFrom } from 'rxjs';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const root = path.join(__dirname, '..');
const dataDir = process.env.TIGHTLOOP_DATA_DIR || undefined;

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

async function backtest(transport: 'in-process' | 'nats') {
  const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-dist-bench-')), 'run');
  const t0 = process.hrtime.bigint();
  const { summary, timings } = await runBacktest({
    strategy: 'btc_basis',
    start: '2024-06-01',
    end: '2025-06-01',
    outDir,
    cacheDir: path.join(os.homedir(), '.cache', 'tightloop'),
    ...(dataDir ? { dataDir } : {}),
    transport: transport === 'nats' ? { kind: 'nats', natsUrl: NATS_URL } : { kind: 'in-process' },
  });
  const ticks = (summary as { ticks: number }).ticks;
  return {
    transport,
    ticks,
    wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
    loopSeconds: timings.loopSeconds,
    ticksPerSecond: ticks / timings.loopSeconds,
  };
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

async function main() {
  const basePort = 4101;
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
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );
  try {
    await waitReady([0, 1, 2, 3, 4, 5].map((k) => basePort + k));
    const hop = await hopRoundTrip();
    const local = await backtest('in-process');
    const nats = await backtest('nats');
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      dataset: dataDir ? 'real' : 'synthetic',
      hop,
      runs: [local, nats],
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      path.join(__dirname, 'results', 'distributed.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
  } finally {
    up.kill('SIGTERM');
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
