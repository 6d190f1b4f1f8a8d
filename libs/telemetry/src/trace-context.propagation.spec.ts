import { context, trace, type Context } from '@opentelemetry/api';
import { headers } from '@nats-io/transport-node';
import { startInMemoryTelemetry, type InMemoryTelemetry } from './in-memory.telemetry';
import {
  extractTraceContext,
  extractTraceContextRecord,
  injectTraceContext,
  injectTraceContextRecord,
} from './trace-context.propagation';
import { withSpan } from './with-span.helper';

describe('trace context propagation', () => {
  let telemetry: InMemoryTelemetry;
  beforeEach(() => {
    telemetry = startInMemoryTelemetry('propagation-spec');
  });
  afterEach(() => telemetry.shutdown());

  const carriers: [string, (ctx: Context) => Context][] = [
    ['NATS headers', (ctx) => extractTraceContext(injectTraceContext(headers(), ctx))],
    ['a plain object', (ctx) => extractTraceContextRecord(injectTraceContextRecord({}, ctx))],
  ];

  it.each(carriers)('survives a round trip through %s', (_carrier, roundTrip) => {
    const parent = telemetry.tracer.startSpan('tick');
    const sent = parent.spanContext();
    const received = trace.getSpanContext(roundTrip(trace.setSpan(context.active(), parent)));
    parent.end();

    expect(received).toEqual({ ...sent, isRemote: true });
  });

  it.each(carriers)('gives a child in the same trace through %s', (_carrier, roundTrip) => {
    const parent = telemetry.tracer.startSpan('tick');
    const remote = roundTrip(trace.setSpan(context.active(), parent));
    withSpan(telemetry.tracer, 'risk', {}, () => undefined, remote);
    parent.end();

    const [child, tick] = telemetry.spans.getFinishedSpans();
    expect(tick?.name).toBe('tick');
    expect(child?.name).toBe('risk');
    expect(child?.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('writes the W3C header names', () => {
    const h = headers();
    withSpan(telemetry.tracer, 'tick', {}, () => injectTraceContext(h));
    expect(h.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(Object.keys(injectTraceContextRecord())).toEqual([]);
  });

  it('reads header names case-insensitively', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const h = headers();
    h.set('Traceparent', traceparent);
    expect(trace.getSpanContext(extractTraceContext(h))?.traceId).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
    expect(
      trace.getSpanContext(extractTraceContextRecord({ TraceParent: traceparent }))?.spanId,
    ).toBe('b7ad6b7169203331');
  });

  it('leaves the context alone when a message carries no trace', () => {
    expect(trace.getSpanContext(extractTraceContext(undefined))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContext(headers()))).toBeUndefined();
    expect(trace.getSpanContext(extractTraceContextRecord({ other: 'x' }))).toBeUndefined();
  });
});
