import {
  context as otelContext,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * Runs `fn` inside a new active span (child of `parentContext`, default the active
 * context) and ends the span when `fn` returns or its promise settles. A throw or a
 * rejection is recorded on the span with status ERROR and then rethrown unchanged:
 * tracing observes failures, it never swallows them.
 */
export function withSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  parentContext?: Context,
): Promise<T>;
export function withSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T,
  parentContext?: Context,
): T;
export function withSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
  parentContext: Context = otelContext.active(),
): T | Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, parentContext, (span) => {
    let result: T | Promise<T>;
    try {
      result = fn(span);
    } catch (error) {
      markSpanFailed(span, error);
      span.end();
      throw error;
    }
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        markSpanFailed(span, error);
        span.end();
        throw error;
      },
    );
  });
}

/** For spans managed by hand: records `error` as an exception event and sets ERROR. */
export function markSpanFailed(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : String(error);
  span.recordException(exception);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
