import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startOtlpCollector } from '../../libs/telemetry/src/testing/otlp-collector.fixture';
import { startRunControllerProcess } from './run-controller.process';

interface OtlpSpan {
  name: string;
  attributes: { key: string; value: { intValue?: string; stringValue?: string } }[];
}

function exportedSpans(bodies: string[]): OtlpSpan[] {
  return bodies.flatMap((body) =>
    (
      JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }
    ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
  );
}

// Story: the run controller traces its runs into a collector (OTEL_EXPORTER_OTLP_ENDPOINT).
// Spans are exported in batches, every few seconds; a SIGTERM right after a run must not
// lose the batch still waiting: shutdown flushes it before the process exits.
describe('run controller traces, flushed on SIGTERM', () => {
  let tempRoot: string;
  beforeAll(async () => {
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tl-rc-traces-'));
  });
  afterAll(async () => {
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('exports every tick of a run finished just before the SIGTERM', async () => {
    const collector = await startOtlpCollector();
    try {
      const controller = await startRunControllerProcess(
        {
          TIGHTLOOP_RESULTS_DIR: path.join(tempRoot, 'results'),
          TIGHTLOOP_CACHE_DIR: path.join(tempRoot, 'cache'),
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_SERVICE_NAME: 'run-controller',
        },
        () => undefined,
      );
      try {
        const submitted = await controller.post({
          strategy: 'btc_basis',
          start: '2024-06-01T00:00:00Z',
          end: '2024-06-01T23:00:00Z',
        });
        const { runId } = submitted.body.data!;
        const done = await controller.until(runId, (r) => r.status === 'completed', 50);
        expect(done.status).toBe('completed');
        // Well inside the exporter's batch delay: nothing of this run is exported yet.
        controller.child.kill('SIGTERM');
        await controller.exited;
      } finally {
        controller.child.kill('SIGKILL');
      }
      const ticks = exportedSpans(collector.received.map((r) => r.body)).filter(
        (s) => s.name === 'tick',
      );
      expect(ticks).toHaveLength(24);
      expect(collector.received.every((r) => r.path === '/v1/traces')).toBe(true);
    } finally {
      await collector.close();
    }
  });
});
