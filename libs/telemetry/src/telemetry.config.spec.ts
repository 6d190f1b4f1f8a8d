import { exportsTraces, readTelemetryConfig, TelemetryConfigError } from './telemetry.config';

describe('readTelemetryConfig', () => {
  it('defaults to info logs, every trace sampled and no exporter', () => {
    expect(readTelemetryConfig({ OTEL_SERVICE_NAME: 'risk' })).toEqual({
      serviceName: 'risk',
      samplerRatio: 1,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = readTelemetryConfig({
      OTEL_SERVICE_NAME: 'pnl',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_TRACES_SAMPLER_RATIO: '0.25',
      LOG_LEVEL: 'debug',
    });
    expect(config).toEqual({
      serviceName: 'pnl',
      otlpEndpoint: 'http://jaeger:4318',
      samplerRatio: 0.25,
      logLevel: 'debug',
    });
  });

  it('rejects an endpoint without a service name, naming the variable', () => {
    const read = () => readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' });
    expect(read).toThrow(TelemetryConfigError);
    expect(read).toThrow(/OTEL_SERVICE_NAME: required when OTEL_EXPORTER_OTLP_ENDPOINT is set/);
  });

  it('treats a blank variable as unset', () => {
    const config = readTelemetryConfig({
      OTEL_SERVICE_NAME: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: ' ',
      OTEL_TRACES_SAMPLER_RATIO: '',
    });
    expect(config).toEqual({ serviceName: 'unknown_service', samplerRatio: 1, logLevel: 'info' });
  });

  it.each([
    ['OTEL_TRACES_SAMPLER_RATIO', '1.5'],
    ['OTEL_TRACES_SAMPLER_RATIO', 'half'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'jaeger:4318'],
    ['LOG_LEVEL', 'loud'],
  ])('names %s when its value %p is invalid', (variable, value) => {
    expect(() => readTelemetryConfig({ OTEL_SERVICE_NAME: 'x', [variable]: value })).toThrow(
      new RegExp(`^invalid telemetry configuration: ${variable}: `),
    );
  });

  it('drops the endpoint when OTEL_SDK_DISABLED is true, so nothing is traced', () => {
    const disabled = readTelemetryConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_SDK_DISABLED: 'TRUE',
    });
    expect(disabled).toEqual({ serviceName: 'unknown_service', samplerRatio: 1, logLevel: 'info' });
    expect(exportsTraces(disabled)).toBe(false);
    const enabled = readTelemetryConfig({
      OTEL_SERVICE_NAME: 'risk',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_SDK_DISABLED: 'false',
    });
    expect(exportsTraces(enabled)).toBe(true);
  });

  it("maps NestJS's level names, which the stage services read from the same LOG_LEVEL", () => {
    expect(readTelemetryConfig({ LOG_LEVEL: 'log' }).logLevel).toBe('info');
    expect(readTelemetryConfig({ LOG_LEVEL: 'verbose' }).logLevel).toBe('trace');
  });
});
