import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startOtlpCollector } from './testing/otlp-collector.fixture';

// The exporter cannot run inside jest (see the fixture's comment), so a real Node process
// boots telemetry from its environment, exactly as a service would.
describe('OTLP export from a service process', () => {
  it('sends spans to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces, flushed on shutdown', async () => {
    const collector = await startOtlpCollector();
    const { received } = collector;
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'testing', 'otlp-export.fixture.ts')],
        {
          env: {
            PATH: process.env.PATH,
            OTEL_SERVICE_NAME: 'otlp-spec-service',
            OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          },
        },
      );

      expect(received).toHaveLength(1);
      const [request] = received;
      expect(request?.path).toBe('/v1/traces');
      expect(request?.contentType).toBe('application/json');
      const payload = JSON.parse(request?.body ?? '{}');
      const resourceSpans = payload.resourceSpans[0];
      expect(resourceSpans.resource.attributes).toContainEqual({
        key: 'service.name',
        value: { stringValue: 'otlp-spec-service' },
      });
      const span = resourceSpans.scopeSpans[0].spans[0];
      expect(span.name).toBe('tick');

      const lines = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.find((l) => l.msg === 'tick traced')).toMatchObject({
        service: 'otlp-spec-service',
        trace_id: span.traceId,
        span_id: span.spanId,
      });
    } finally {
      await collector.close();
    }
  });
});
