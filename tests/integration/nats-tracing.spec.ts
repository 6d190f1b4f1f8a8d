import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TICK_CHAIN } from '@tightloop/contracts';
import { runBacktest } from '@tightloop/runner';
import type { RunningStageService } from '@tightloop/stage-host';
import {
  LoopAttribute,
  LoopSpanName,
  LoopStage,
  SpanTree,
  startInMemoryTelemetry,
  type InMemoryTelemetry,
} from '@tightloop/telemetry';
import { NATS_URL, startStageServices } from '../support/stage-services';

const RUN_ID = `tracing-${process.pid}-${Date.now().toString(36)}`;
const TICKS = 6;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tl-nats-tracing-'));

const hrMs = ([s, ns]: [number, number]) => s * 1e3 + ns / 1e6;

/** Which service operation answers each loop span that calls out. */
function expectedOperation(name: string, parentName: string | undefined): string | undefined {
  switch (name) {
    case LoopSpanName.stage(LoopStage.POSITION):
      return parentName === LoopSpanName.RECONCILIATION ? 'positions.apply' : 'positions.refresh';
    case LoopSpanName.stage(LoopStage.EXPOSURE):
      return 'exposure.compute';
    case LoopSpanName.stage(LoopStage.RISK):
      return 'risk.assess';
    case LoopSpanName.stage(LoopStage.PNL):
      return 'pnl.update';
    case LoopSpanName.stage(LoopStage.STRATEGY):
      return 'strategy.decide';
    case LoopSpanName.UNIT:
      return 'execution.execute';
    default:
      return undefined;
  }
}

// Story: across the six stage services over real NATS, each tick is still one trace: every
// service's span carries the tick's trace id; the tick's opening, chained from service to
// service, shows its five stages in order under the tick, and every request the loop sends
// after it (execution, fills applied, the reconciliation chain) is the child of the loop
// span that sent it; the service's log lines carry their span.
describe('tracing across the stage services over NATS', () => {
  let loop: InMemoryTelemetry;
  let stages: InMemoryTelemetry;
  let services: RunningStageService[] = [];

  beforeAll(async () => {
    loop = startInMemoryTelemetry('loop', 'silent');
    stages = startInMemoryTelemetry('stage-services', 'debug');
    // A queue group of their own: other suites' services share the NATS server and the
    // services' groups, and would otherwise answer some of this run's requests untraced.
    services = await startStageServices(1, { telemetry: stages, queue: RUN_ID });
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await Promise.all([loop?.shutdown(), stages?.shutdown()]);
  });

  it("puts every service's span in its tick: the opening chain under the tick, requests under their caller", async () => {
    await runBacktest(
      {
        strategy: 'btc_basis',
        start: '2024-07-01T00:00:00Z',
        end: `2024-07-01T0${TICKS - 1}:00:00Z`,
        outDir: path.join(tmp, 'run'),
        cacheDir: path.join(tmp, 'cache'),
        runId: RUN_ID,
        transport: { kind: 'nats', natsUrl: NATS_URL, requestTimeoutMs: 5_000 },
      },
      {},
      { tracer: loop.tracer },
    );
    const loopSpans = loop.spans.getFinishedSpans();
    // Services in their own group also answer other suites' runs; keep this run's spans.
    const serviceSpans = stages.spans
      .getFinishedSpans()
      .filter((s) => s.attributes[LoopAttribute.RUN_ID] === RUN_ID);
    const tree = new SpanTree([...loopSpans, ...serviceSpans]);
    const ticks = tree.roots();
    expect(ticks.map((t) => t.name)).toEqual(Array(TICKS).fill(LoopSpanName.TICK));
    const tickOfTrace = new Map(ticks.map((t) => [t.spanContext().traceId, t]));

    const chained = serviceSpans.filter((s) => ticks.includes(tree.parentOf(s)!));
    for (const span of serviceSpans) {
      const tick = tickOfTrace.get(span.spanContext().traceId);
      expect(tick).toBeDefined();
      expect(span.attributes[LoopAttribute.TICK_INDEX]).toBe(
        tick!.attributes[LoopAttribute.TICK_INDEX],
      );
      const parent = tree.parentOf(span);
      expect(span.parentSpanContext?.isRemote).toBe(true);
      expect(loopSpans).toContain(parent);
      if (!chained.includes(span)) {
        expect(parent!.attributes[LoopAttribute.STAGE]).toBe(span.attributes[LoopAttribute.STAGE]);
      }
    }

    // Each tick opens with the chain: its five stage spans, in order, directly under it.
    for (const tick of ticks) {
      const opening = chained
        .filter((s) => tree.parentOf(s) === tick)
        .sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime))
        .map((s) => s.name);
      expect(opening).toEqual([...TICK_CHAIN]);
    }

    // Each loop span that calls a service has exactly one service child, of its operation.
    const callers = loopSpans.flatMap((span) => {
      const operation = expectedOperation(span.name, tree.parentOf(span)?.name);
      return operation === undefined ? [] : [{ span, operation }];
    });
    expect(callers.some((c) => c.operation === 'execution.execute')).toBe(true);
    expect(callers.some((c) => c.operation === 'positions.apply')).toBe(true);
    for (const { span, operation } of callers) {
      const answered = tree.childrenOf(span).filter((c) => serviceSpans.includes(c));
      expect([span.name, answered.map((c) => c.name)]).toEqual([span.name, [operation]]);
    }
    expect(serviceSpans).toHaveLength(callers.length + chained.length);

    // The services' JSON log lines written while handling a request carry its span.
    const logged = new Set(stages.logLines().map((l) => `${l.trace_id}/${l.span_id}`));
    for (const span of serviceSpans) {
      const { traceId, spanId } = span.spanContext();
      expect(logged).toContain(`${traceId}/${spanId}`);
    }
  });
});
