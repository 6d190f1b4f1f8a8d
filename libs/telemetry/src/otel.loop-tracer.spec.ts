import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startInMemoryTelemetry, type InMemoryTelemetry } from './in-memory.telemetry';
import { LoopAttribute, LoopSpanName, TickSpeculation } from './loop-span.attributes';
import { OtelLoopTracer } from './otel.loop-tracer';
import { extractTraceContextRecord } from './trace-context.propagation';

const HOUR_MS = 3_600_000;

/** The span id a traceparent names, as a stage service would read it. */
const spanIdOf = (traceparent: string) =>
  trace.getSpanContext(extractTraceContextRecord({ traceparent }))?.spanId;

describe('OtelLoopTracer: ticks opened ahead of the loop', () => {
  let telemetry: InMemoryTelemetry;
  let tracer: OtelLoopTracer;
  beforeEach(() => {
    telemetry = startInMemoryTelemetry('loop-tracer-spec', 'silent');
    tracer = new OtelLoopTracer(telemetry.tracer, 'run-1');
  });
  afterEach(() => telemetry.shutdown());

  const finished = () => telemetry.spans.getFinishedSpans();
  const ticks = () => finished().filter((s) => s.name === LoopSpanName.TICK);
  const stageUnder = (tick: ReadableSpan) =>
    finished().filter((s) => s.parentSpanContext?.spanId === tick.spanContext().spanId);

  it('runs a tick in the span opened ahead for it, marked taken', async () => {
    const traceparent = tracer.openAhead(1, HOUR_MS);
    expect(ticks()).toEqual([]); // still open: the loop has not run it
    await tracer.tick(0, 0, () => tracer.stage('position', async () => undefined));
    await tracer.tick(1, HOUR_MS, () => tracer.stage('position', async () => undefined));

    const [first, second] = ticks();
    expect(first!.attributes[LoopAttribute.TICK_SPECULATION]).toBeUndefined();
    expect(second!.spanContext().spanId).toBe(spanIdOf(traceparent));
    expect(second!.attributes).toEqual({
      [LoopAttribute.RUN_ID]: 'run-1',
      [LoopAttribute.TICK_INDEX]: 1,
      [LoopAttribute.TICK_TS]: HOUR_MS,
      [LoopAttribute.TICK_SPECULATION]: TickSpeculation.TAKEN,
    });
    expect(second!.parentSpanContext).toBeUndefined();
    expect(stageUnder(second!).map((s) => s.name)).toEqual([LoopSpanName.stage('position')]);
    expect(tracer.openAhead(2, 2 * HOUR_MS)).not.toBe(tracer.openAhead(3, 3 * HOUR_MS));
    expect(tracer.openAhead(2, 2 * HOUR_MS)).toBe(tracer.openAhead(2, 2 * HOUR_MS));
  });

  it('ends a discarded tick as such, and runs the tick in a trace of its own', async () => {
    const traceparent = tracer.openAhead(1, HOUR_MS);
    await tracer.tick(1, HOUR_MS, async () => {
      // The transport finds the speculation does not hold before the tick's first traced call.
      tracer.discardAhead(1);
      await tracer.stage('position', async () => undefined);
    });

    const [discarded, run] = ticks();
    expect(discarded!.spanContext().spanId).toBe(spanIdOf(traceparent));
    expect(discarded!.attributes[LoopAttribute.TICK_SPECULATION]).toBe(TickSpeculation.DISCARDED);
    expect(stageUnder(discarded!)).toEqual([]);
    expect(run!.spanContext().traceId).not.toBe(discarded!.spanContext().traceId);
    expect(run!.attributes[LoopAttribute.TICK_SPECULATION]).toBeUndefined();
    expect(run!.attributes[LoopAttribute.TICK_INDEX]).toBe(1);
    expect(stageUnder(run!)).toHaveLength(1);
    tracer.discardAhead(1); // nothing left to discard
    expect(ticks()).toHaveLength(2);
  });

  it("gives a message sent straight from the tick the tick's context, started from the tick's start", async () => {
    let sentFrom: string | undefined;
    await tracer.tick(0, 0, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sentFrom = trace.getSpanContext(tracer.activeContext())?.spanId;
    });
    const [tick] = ticks();
    expect(sentFrom).toBe(tick!.spanContext().spanId);
    const durationMs = tick!.duration[0] * 1e3 + tick!.duration[1] / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(15);
  });

  it('records a failing tick on its span, even with no traced call before the failure', async () => {
    await expect(
      tracer.tick(0, 0, () => Promise.reject(new Error('quality gate'))),
    ).rejects.toThrow('quality gate');
    const [tick] = ticks();
    expect(tick!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'quality gate' });
  });
});
