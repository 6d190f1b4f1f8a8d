import { context, propagation, trace } from '@opentelemetry/api';
import { headers } from '@nats-io/transport-node';
import { startInMemoryTelemetry } from './in-memory.telemetry';
import { startTelemetry } from './telemetry.bootstrap';
import { extractTraceContext, injectTraceContext } from './trace-context.propagation';
import { withSpan } from './with-span.helper';

describe('startTelemetry', () => {
  it('runs two instances in one process, each exporting its own spans', async () => {
    const position = startInMemoryTelemetry('position');
    const risk = startInMemoryTelemetry('risk');

    const h = headers();
    withSpan(position.tracer, 'stage.position', {}, () => injectTraceContext(h));
    withSpan(risk.tracer, 'stage.risk', {}, () => undefined, extractTraceContext(h));

    const [positionSpan] = position.spans.getFinishedSpans();
    const [riskSpan] = risk.spans.getFinishedSpans();
    expect(position.spans.getFinishedSpans()).toHaveLength(1);
    expect(risk.spans.getFinishedSpans()).toHaveLength(1);
    expect(positionSpan?.resource.attributes['service.name']).toBe('position');
    expect(riskSpan?.resource.attributes['service.name']).toBe('risk');
    expect(riskSpan?.spanContext().traceId).toBe(positionSpan?.spanContext().traceId);

    await expect(position.shutdown()).resolves.toBeUndefined();
    // The other instance keeps its active context after the first one stops.
    withSpan(risk.tracer, 'stage.risk', {}, (span) => {
      expect(trace.getActiveSpan()).toBe(span);
    });
    expect(risk.spans.getFinishedSpans()).toHaveLength(2);
    await expect(risk.shutdown()).resolves.toBeUndefined();
    expect(risk.logLines().at(-1)).toMatchObject({ service: 'risk', msg: 'telemetry stopped' });
  });

  it('shuts down idempotently and releases the process-wide context when the last stops', async () => {
    const telemetry = startInMemoryTelemetry('pnl');
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate']);

    const first = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(first);
    await first;
    await telemetry.shutdown();

    expect(telemetry.logLines().filter((l) => l['msg'] === 'telemetry stopped')).toHaveLength(1);
    expect(propagation.fields()).toEqual([]);
    // With no context manager, nothing is ever active.
    const span = trace.getTracer('x').startSpan('after');
    context.with(trace.setSpan(context.active(), span), () => {
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });

  it('creates spans without an exporter and logs that they are dropped', async () => {
    const telemetry = startTelemetry(
      { serviceName: 'strategy', samplerRatio: 1, logLevel: 'silent' },
      {},
    );
    const traceId = withSpan(telemetry.tracer, 'stage.strategy', {}, (span) => {
      expect(span.isRecording()).toBe(true);
      return span.spanContext().traceId;
    });
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await telemetry.shutdown();
  });

  it('samples whole traces: a remote parent not sampled keeps its children unsampled', async () => {
    const telemetry = startInMemoryTelemetry('execution');
    const h = headers();
    h.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
    withSpan(telemetry.tracer, 'stage.execution', {}, () => undefined, extractTraceContext(h));
    expect(telemetry.spans.getFinishedSpans()).toHaveLength(0);
    await telemetry.shutdown();
  });
});
