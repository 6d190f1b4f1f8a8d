import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { TICK_CHAIN, tickChainSubject, type TickChainMessage } from '@tightloop/contracts';
import { runBacktest } from '@tightloop/runner';
import type { RunningStageService } from '@tightloop/stage-host';
import {
  LoopAttribute,
  LoopSpanName,
  LoopStage,
  SpanTree,
  startInMemoryTelemetry,
  TickSpeculation,
  type InMemoryTelemetry,
} from '@tightloop/telemetry';
import { startPrivateNats } from '../support/private-nats';
import { startStageServices } from '../support/stage-services';

const RUN_ID = `tracing-${process.pid}-${Date.now().toString(36)}`;
const HOUR_MS = 3_600_000;
/** Two days: quiet ticks come up to 16 to a message (each quiet run doubles the next). */
const TICKS = 48;
const START_MS = Date.parse('2024-07-01T00:00:00Z');
/** Inside the message that opens ticks 17 to 32: their speculation fails from here on. */
const DEPOSIT_TICK = 20;
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

// Story: across the six stage services over real NATS, each tick is still one trace, though
// one chained message opens several ticks ahead of the loop: every service's span carries
// the tick's trace id; the tick's opening, chained from service to service, shows its five
// stages in order under the tick, and every request the loop sends after it (execution,
// fills applied, the reconciliation chain) is the child of the loop span that sent it; the
// service's log lines carry their span. A tick opened ahead whose speculation the loop
// discards keeps the wasted stages in a trace of its own, marked discarded.
describe('tracing across the stage services over NATS', () => {
  let loop: InMemoryTelemetry;
  let stages: InMemoryTelemetry;
  let services: RunningStageService[] = [];
  let nats: Awaited<ReturnType<typeof startPrivateNats>>;
  let NATS_URL: string;

  beforeAll(async () => {
    loop = startInMemoryTelemetry('loop', 'silent');
    stages = startInMemoryTelemetry('stage-services', 'debug');
    // A NATS server of its own: every other suite's services subscribe to every run's
    // chain subjects on the shared one, and would relay this run's ticks (untraced, or
    // twice) alongside these services.
    nats = await startPrivateNats(4335);
    NATS_URL = nats.url;
    services = await startStageServices(1, { telemetry: stages }, NATS_URL);
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    await Promise.all([loop?.shutdown(), stages?.shutdown()]);
    await nats?.stop();
  });

  it("puts every service's span in its tick: the opening chain under the tick, requests under their caller", async () => {
    // The chained messages as the loop sends them: the ticks ahead, and their trace contexts.
    const observer = await connect({ servers: NATS_URL });
    const sent: { ahead: number; traces: number | undefined }[] = [];
    observer.subscribe(tickChainSubject(RUN_ID, TICK_CHAIN[0]), {
      callback: (_error, msg) => {
        const { data } = msg.json<{ data: TickChainMessage }>();
        sent.push({ ahead: data.ahead.length, traces: data.traces?.length });
      },
    });
    await observer.flush();
    await runBacktest(
      {
        strategy: 'btc_basis',
        start: new Date(START_MS).toISOString(),
        end: new Date(START_MS + (TICKS - 1) * HOUR_MS).toISOString(),
        outDir: path.join(tmp, 'run'),
        cacheDir: path.join(tmp, 'cache'),
        runId: RUN_ID,
        // A deposit, which the speculation does not assume.
        configOverrides: {
          capitalFlows: [
            { at: new Date(START_MS + DEPOSIT_TICK * HOUR_MS).toISOString(), amount: 1_000 },
          ],
        },
        transport: { kind: 'nats', natsUrl: NATS_URL, requestTimeoutMs: 5_000 },
      },
      {},
      { tracer: loop.tracer },
    );
    await observer.drain();
    // Speculation happened, traced: messages opened several ticks, each with its context.
    expect(sent.length).toBeLessThan(TICKS / 4);
    for (const { ahead, traces } of sent) expect(traces).toBe(ahead);

    const allLoopSpans = loop.spans.getFinishedSpans();
    // This run's spans, selected as a trace viewer would.
    const allServiceSpans = stages.spans
      .getFinishedSpans()
      .filter((s) => s.attributes[LoopAttribute.RUN_ID] === RUN_ID);
    const tree = new SpanTree([...allLoopSpans, ...allServiceSpans]);
    const speculation = (s: ReadableSpan) => s.attributes[LoopAttribute.TICK_SPECULATION];
    const [discarded, ticks] = partition(
      tree.roots(),
      (root) => speculation(root) === TickSpeculation.DISCARDED,
    );
    expect(ticks.map((t) => t.name)).toEqual(Array(TICKS).fill(LoopSpanName.TICK));
    expect(ticks.map((t) => t.attributes[LoopAttribute.TICK_INDEX])).toEqual([
      ...Array(TICKS).keys(),
    ]);
    // Quiet ticks were taken from their speculation: their spans were opened ahead.
    expect(ticks.filter((t) => speculation(t) === TickSpeculation.TAKEN).length).toBeGreaterThan(
      TICKS / 2,
    );

    // The deposit's tick and those after it in its message were opened ahead and discarded:
    // each one's trace holds its root and the wasted opening stages right under it, and
    // the loop ran the tick in a trace of its own.
    const traceOf = (s: ReadableSpan) => s.spanContext().traceId;
    const discardedTraces = new Set(discarded.map(traceOf));
    expect(discarded.map((d) => d.attributes[LoopAttribute.TICK_INDEX])).toContain(DEPOSIT_TICK);
    expect(allLoopSpans.filter((s) => discardedTraces.has(traceOf(s))).length).toBe(
      discarded.length,
    );
    const [wasted, serviceSpans] = partition(allServiceSpans, (s) =>
      discardedTraces.has(traceOf(s)),
    );
    for (const span of wasted) {
      const root = tree.parentOf(span);
      expect(discarded).toContain(root);
      expect(span.attributes[LoopAttribute.TICK_INDEX]).toBe(
        root!.attributes[LoopAttribute.TICK_INDEX],
      );
    }
    const loopSpans = allLoopSpans.filter((s) => !discardedTraces.has(traceOf(s)));
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
    for (const span of allServiceSpans) {
      const { traceId, spanId } = span.spanContext();
      expect(logged).toContain(`${traceId}/${spanId}`);
    }
  });
});

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
