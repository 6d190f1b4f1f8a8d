import { connect, headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { startInMemoryTelemetry, type InMemoryTelemetry } from './in-memory.telemetry';
import { LoopAttribute, LoopStage } from './loop-span.attributes';
import { extractTraceContext, injectTraceContext } from './trace-context.propagation';
import { withSpan } from './with-span.helper';

// Integration tier: needs the NATS server that scripts/ensure-services.sh starts.
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('trace context over a real NATS server', () => {
  let publisherConnection: NatsConnection;
  let subscriberConnection: NatsConnection;
  let publisher: InMemoryTelemetry;
  let subscriber: InMemoryTelemetry;

  beforeAll(async () => {
    publisherConnection = await connect({ servers: NATS_URL, name: 'telemetry-spec-pub' });
    subscriberConnection = await connect({ servers: NATS_URL, name: 'telemetry-spec-sub' });
    publisher = startInMemoryTelemetry('position');
    subscriber = startInMemoryTelemetry('risk');
  });

  afterAll(async () => {
    await Promise.all([publisherConnection?.close(), subscriberConnection?.close()]);
    await Promise.all([publisher?.shutdown(), subscriber?.shutdown()]);
  });

  it('continues the sender trace in the receiver', async () => {
    // Outside `tightloop.>`, which the JetStream stream captures.
    const subject = `telemetry-spec.${process.pid}.${Date.now()}`;
    const received = new Promise<Msg>((resolve) => {
      const sub = subscriberConnection.subscribe(subject, { max: 1 });
      void (async () => {
        for await (const msg of sub) {
          withSpan(
            subscriber.tracer,
            'stage.risk',
            { [LoopAttribute.STAGE]: LoopStage.RISK },
            () => subscriber.logger.info('risk request received'),
            extractTraceContext(msg.headers),
          );
          resolve(msg);
        }
      })();
    });
    await subscriberConnection.flush();

    withSpan(publisher.tracer, 'tick', { [LoopAttribute.TICK_INDEX]: 0 }, () => {
      publisherConnection.publish(subject, JSON.stringify({ tick: 0 }), {
        headers: injectTraceContext(headers()),
      });
    });
    await publisherConnection.flush();
    const msg = await received;

    const [tick] = publisher.spans.getFinishedSpans();
    const [risk] = subscriber.spans.getFinishedSpans();
    expect(msg.headers?.get('traceparent')).toContain(tick?.spanContext().traceId);
    expect(risk?.spanContext().traceId).toBe(tick?.spanContext().traceId);
    expect(risk?.parentSpanContext).toMatchObject({
      spanId: tick?.spanContext().spanId,
      isRemote: true,
    });
    expect(subscriber.logLines().at(-1)).toMatchObject({
      msg: 'risk request received',
      trace_id: tick?.spanContext().traceId,
      span_id: risk?.spanContext().spanId,
    });
  });
});
