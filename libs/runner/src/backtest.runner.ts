import {
  AppliedFillsPositionSource,
  capitalFlowsOf,
  CostModel,
  createStrategy,
  resolveStrategyConfig,
  SimulatedVenueGateway,
  TightLoop,
  type LoopCheckpoint,
} from '@tightloop/core';
import { loadMarketData, resolveDataset } from '@tightloop/data';
import { writeResultBundle } from '@tightloop/results';
import type { Tracer } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { runCheckpointedLoop, type BacktestCheckpointing } from './checkpointed.loop';
import { loadLoopTracing } from './loop-tracing';
import { NatsStagesClient } from './nats-stages.client';
import { backtestRequestSchema, type BacktestRequestInput } from './backtest.request';
import { buildResultBundle } from './result-bundle.builder';
import { ResultsRecorder } from './results.recorder';
import { RecorderDeltas } from './results-recorder.delta';
import { foldStoredCheckpoints } from './run-checkpoint';

export interface BacktestHooks {
  /**
   * Called once the data is loaded and the tick count known; `fromTick` is where the loop
   * starts: 0, or after the latest stored checkpoint of a resumed run.
   */
  onStart?(ticks: number, fromTick: number): void;
  onProgress?(ticksDone: number, ticksTotal: number): void;
  /** A data rule applied to fill gaps or stand in for a missing venue series. */
  onDataRule?(message: string): void;
}

export interface BacktestServices {
  /**
   * Traces the run, one trace per tick (see loop-span.attributes.ts); over NATS the stage
   * services continue each trace. Absent, nothing is traced and nothing is propagated.
   */
  tracer?: Tracer;
  /**
   * Stores checkpoints as the run goes and resumes from those already stored for its run
   * id. Absent, the run keeps everything in memory and cannot resume.
   */
  checkpoints?: BacktestCheckpointing;
}

export interface BacktestOutcome {
  runId: string;
  outDir: string;
  /** The loop's state after the last tick: positions, pnl, flows; where a next run goes on. */
  final: LoopCheckpoint;
  files: string[];
  summary: Record<string, unknown>;
  timings: { loadSeconds: number; loopSeconds: number; writeSeconds: number };
}

/**
 * The most ticks one chained message opens over NATS: a message of this many ticks stays
 * well under NATS's default 1 MB payload limit for every strategy mode.
 */
const SPECULATED_TICKS_MAX = 64;

const secondsSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

/** `bt-<time>-<random>`: one NATS subject token. */
function newRunId(): string {
  return `bt-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * The embedded default: every stage in this process, data from files, simulated venues,
 * results written atomically to `outDir`. Fails fast on any error (backtest policy).
 */
export async function runBacktest(
  input: BacktestRequestInput,
  hooks: BacktestHooks = {},
  services: BacktestServices = {},
): Promise<BacktestOutcome> {
  const started = process.hrtime.bigint();
  const request = backtestRequestSchema.parse(input);
  const config = resolveStrategyConfig(request.strategy, {
    ...request.configOverrides,
    ...(request.capital !== undefined ? { initialCapital: request.capital } : {}),
  });
  const strategy = createStrategy(config);
  const resolved = await resolveDataset({
    ...(request.dataDir ? { dataDir: request.dataDir } : {}),
    cacheDir: request.cacheDir,
  });
  const rules: string[] = [];
  const market = await loadMarketData({
    dataDir: resolved.dir,
    manifest: resolved.manifest,
    startMs: request.start,
    endMs: request.end,
    needs: [...strategy.marketNeeds],
    onRule: (rule) => {
      const message = `${rule.kind}: ${rule.detail}`;
      rules.push(message);
      hooks.onDataRule?.(message);
    },
  });
  const loadSeconds = secondsSince(started);
  const ticks = market.timestampsMs.length;

  const costs = new CostModel(config.costs);
  const recorder = new ResultsRecorder(strategy);
  const runId = request.runId ?? newRunId();
  const { checkpoints } = services;
  const deltas = new RecorderDeltas(recorder);
  // A deterministic backtest resumed from its stored state: the stored results folded
  // back into the recorder, the loop continued from the latest checkpoint.
  const resumed = checkpoints
    ? await foldStoredCheckpoints(checkpoints.store, runId, ticks, deltas)
    : null;
  hooks.onStart?.(ticks, resumed?.nextTickIndex ?? 0);
  const tracing = services.tracer ? loadLoopTracing(services.tracer, runId) : null;
  const remote =
    request.transport.kind === 'nats'
      ? new NatsStagesClient(
          request.transport.natsUrl,
          runId,
          config,
          request.transport.requestTimeoutMs,
          request.transport.retry,
          tracing?.traceHeaders,
          { market, maxTicks: SPECULATED_TICKS_MAX, tracing: tracing?.ticksAhead },
        )
      : null;
  await remote?.connect();
  const loop = new TightLoop({
    strategy,
    market,
    venues: remote ?? new SimulatedVenueGateway(costs),
    positions: remote ?? new AppliedFillsPositionSource(),
    ...(remote ? { stages: remote } : {}),
    ...(tracing ? { tracer: tracing.loopTracer } : {}),
    recorder,
    costs,
    tolerance: config.reconciliation,
    policy: {
      failOnRejectedFill: true,
      failOnReconciliationMismatch: true,
      enforceQualityGate: true,
    },
    capitalFlows: capitalFlowsOf(config),
    ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
  });
  const loopStarted = process.hrtime.bigint();
  let final: LoopCheckpoint;
  try {
    final = checkpoints
      ? await runCheckpointedLoop(
          loop,
          resumed ?? loop.initialCheckpoint(),
          { runId, ticksTotal: ticks, deltas },
          checkpoints,
        )
      : await loop.run();
  } finally {
    await remote?.close();
  }
  const loopSeconds = secondsSince(loopStarted);
  const writeStarted = process.hrtime.bigint();

  const bundle = buildResultBundle(recorder, {
    config,
    startMs: request.start,
    endMs: request.end,
    ticks,
    wallSeconds: secondsSince(started),
    dataset: { name: market.dataset.name, kind: market.dataset.kind, dir: market.dataset.dir },
    dataRules: rules,
  });
  const { files } = await writeResultBundle(request.outDir, bundle);
  return {
    runId,
    outDir: request.outDir,
    files,
    summary: bundle.summary,
    final,
    timings: { loadSeconds, loopSeconds, writeSeconds: secondsSince(writeStarted) },
  };
}
