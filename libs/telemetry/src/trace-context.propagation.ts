import {
  context as otelContext,
  isSpanContextValid,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { headers, Match, type MsgHdrs } from '@nats-io/transport-node';

/**
 * W3C trace context (`traceparent`, `tracestate`) carried in message headers, so a stage
 * that handles a message continues the trace of the tick that sent it.
 *
 * The W3C propagator is used directly rather than the global one: the header format is a
 * wire contract between services and must not depend on whether, or in which order,
 * something registered a global propagator. It is stateless, so one per call costs nothing.
 */

const natsSetter: TextMapSetter<MsgHdrs> = {
  set: (headers, key, value) => headers.set(key, value),
};

const natsGetter: TextMapGetter<MsgHdrs> = {
  keys: (headers) => headers.keys(),
  // Header names are case-insensitive in W3C trace context; NATS `get` answers '' for absent.
  get: (headers, key) => headers.get(key, Match.IgnoreCase) || undefined,
};

const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const recordGetter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const exact = carrier[key];
    if (exact !== undefined) return exact;
    const lower = key.toLowerCase();
    const found = Object.keys(carrier).find((k) => k.toLowerCase() === lower);
    return found === undefined ? undefined : carrier[found];
  },
};

/** Writes the span context of `context` (default: the active one) into NATS headers. */
export function injectTraceContext(
  headers: MsgHdrs,
  context: Context = otelContext.active(),
): MsgHdrs {
  new W3CTraceContextPropagator().inject(context, headers, natsSetter);
  return headers;
}

/**
 * New NATS headers carrying the span context of `context` (default: the active one), or
 * `undefined` when it holds no valid span: an untraced caller then sends its message
 * exactly as it would without tracing, with no header block to write or parse.
 */
export function traceContextHeaders(context: Context = otelContext.active()): MsgHdrs | undefined {
  const spanContext = trace.getSpanContext(context);
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return injectTraceContext(headers(), context);
}

/**
 * The context a message handler should run in: the active context with the sender's span
 * as remote parent when the headers carry one, the active context unchanged otherwise.
 */
export function extractTraceContext(headers: MsgHdrs | undefined): Context {
  const base = otelContext.active();
  if (headers === undefined) return base;
  return new W3CTraceContextPropagator().extract(base, headers, natsGetter);
}

/** The in-process bus's variant: headers as a plain object (a new one unless given). */
export function injectTraceContextRecord(
  carrier: Record<string, string> = {},
  context: Context = otelContext.active(),
): Record<string, string> {
  new W3CTraceContextPropagator().inject(context, carrier, recordSetter);
  return carrier;
}

export function extractTraceContextRecord(carrier: Record<string, string> | undefined): Context {
  const base = otelContext.active();
  if (carrier === undefined) return base;
  return new W3CTraceContextPropagator().extract(base, carrier, recordGetter);
}
