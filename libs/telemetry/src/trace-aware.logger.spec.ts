import { Writable } from 'node:stream';
import { startInMemoryTelemetry, type InMemoryTelemetry } from './in-memory.telemetry';
import { LoopAttribute } from './loop-span.attributes';
import { createLogger } from './trace-aware.logger';
import { withSpan } from './with-span.helper';

describe('trace-aware logger', () => {
  let telemetry: InMemoryTelemetry;
  beforeEach(() => {
    telemetry = startInMemoryTelemetry('risk', 'debug');
  });
  afterEach(() => telemetry.shutdown());

  const lastLine = () => telemetry.logLines().at(-1);

  it("writes JSON lines with the active span's trace and span ids", () => {
    const ids = withSpan(telemetry.tracer, 'stage.risk', {}, (span) => {
      telemetry.logger.info({ health_factor: 1.42 }, 'risk checked');
      return span.spanContext();
    });

    expect(lastLine()).toMatchObject({
      level: 'info',
      service: 'risk',
      msg: 'risk checked',
      health_factor: 1.42,
      trace_id: ids.traceId,
      span_id: ids.spanId,
    });
    expect(typeof lastLine()?.['time']).toBe('string');
  });

  it('carries child bindings such as the run id, and still the active trace', () => {
    const runLogger = telemetry.logger.child({ [LoopAttribute.RUN_ID]: 'run-1' });
    const traceId = withSpan(telemetry.tracer, 'tick', {}, (span) => {
      runLogger.debug('tick started');
      return span.spanContext().traceId;
    });

    expect(lastLine()).toMatchObject({
      'tightloop.run_id': 'run-1',
      service: 'risk',
      trace_id: traceId,
    });
  });

  it('omits trace fields outside any span', () => {
    telemetry.logger.info('idle');
    expect(lastLine()).not.toHaveProperty('trace_id');
    expect(lastLine()).not.toHaveProperty('span_id');
  });

  it('honours the configured level', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ serviceName: 'pnl', level: 'warn', destination });
    logger.info('hidden');
    logger.warn('shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });
});
