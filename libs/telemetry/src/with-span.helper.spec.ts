import { SpanStatusCode, trace } from '@opentelemetry/api';
import { startInMemoryTelemetry, type InMemoryTelemetry } from './in-memory.telemetry';
import { LoopAttribute, LoopStage } from './loop-span.attributes';
import { withSpan } from './with-span.helper';

describe('withSpan', () => {
  let telemetry: InMemoryTelemetry;
  beforeEach(() => {
    telemetry = startInMemoryTelemetry('with-span-spec');
  });
  afterEach(() => telemetry.shutdown());

  const onlySpan = () => {
    const spans = telemetry.spans.getFinishedSpans();
    expect(spans).toHaveLength(1);
    return spans[0]!;
  };

  it('runs a sync function inside an active span and returns its value', () => {
    const attributes = { [LoopAttribute.STAGE]: LoopStage.RISK, [LoopAttribute.TICK_INDEX]: 7 };
    const result = withSpan(telemetry.tracer, 'stage.risk', attributes, (span) => {
      expect(trace.getActiveSpan()).toBe(span);
      return 42;
    });

    expect(result).toBe(42);
    const span = onlySpan();
    expect(span.name).toBe('stage.risk');
    expect(span.attributes).toEqual(attributes);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('keeps the span active across awaits and ends it when the promise settles', async () => {
    const result = withSpan(telemetry.tracer, 'stage.pnl', {}, async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(trace.getActiveSpan()).toBe(span);
      return 'done';
    });
    expect(telemetry.spans.getFinishedSpans()).toHaveLength(0);

    await expect(result).resolves.toBe('done');
    expect(onlySpan().ended).toBe(true);
  });

  it('records a thrown exception, sets ERROR and rethrows the same error', () => {
    const error = new Error('health factor below 1.1');
    expect(() =>
      withSpan(telemetry.tracer, 'stage.risk', {}, () => {
        throw error;
      }),
    ).toThrow(error);

    const span = onlySpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0]?.attributes?.['exception.message']).toBe(error.message);
    expect(span.ended).toBe(true);
  });

  it('records a rejection the same way', async () => {
    const rejection = withSpan(telemetry.tracer, 'stage.execution', {}, async () => {
      throw new Error('venue timeout');
    });

    await expect(rejection).rejects.toThrow('venue timeout');
    const span = onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events[0]?.attributes?.['exception.type']).toBe('Error');
  });

  it('nests spans under the active one unless given another parent', () => {
    withSpan(telemetry.tracer, 'tick', {}, () => {
      withSpan(telemetry.tracer, 'instruction', {}, () => {
        withSpan(telemetry.tracer, 'reconciliation', {}, () => undefined);
      });
    });

    const byName = new Map(telemetry.spans.getFinishedSpans().map((s) => [s.name, s]));
    const id = (name: string) => byName.get(name)?.spanContext().spanId;
    expect(byName.get('reconciliation')?.parentSpanContext?.spanId).toBe(id('instruction'));
    expect(byName.get('instruction')?.parentSpanContext?.spanId).toBe(id('tick'));
    expect(byName.get('tick')?.parentSpanContext).toBeUndefined();
  });
});
