import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * The OpenTelemetry API keeps exactly one context manager and one propagator per process,
 * while a test (or a CLI running several stages in-process) starts several telemetry
 * instances. So those two globals are leased: the first lease installs them, the last
 * release removes them, and releases in between leave them alone. If something else
 * registered them before us (another SDK), theirs stay in place and are never removed.
 *
 * The tracer provider is deliberately NOT made global: each instance hands out its own
 * tracer, so two instances never fight over `trace.setGlobalTracerProvider`.
 *
 * State is created on the first lease, never at import.
 */
interface Installed {
  leases: number;
  ownsContextManager: boolean;
  ownsPropagator: boolean;
}

let installed: Installed | undefined;

/** Returns an idempotent release function. */
export function leaseOtelGlobals(): () => void {
  installed ??= install();
  installed.leases += 1;
  let released = false;
  return () => {
    if (released || installed === undefined) return;
    released = true;
    installed.leases -= 1;
    if (installed.leases === 0) {
      uninstall(installed);
      installed = undefined;
    }
  };
}

function install(): Installed {
  // AsyncLocalStorage keeps the active span across awaits, so a stage's async work and
  // every log line it writes stay attached to that stage's span.
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ownsContextManager = context.setGlobalContextManager(contextManager);
  if (!ownsContextManager) contextManager.disable();
  // Trace context only: `traceparent`/`tracestate` are the whole wire contract between stages.
  const ownsPropagator = propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return { leases: 0, ownsContextManager, ownsPropagator };
}

function uninstall(state: Installed): void {
  // `disable` also disables the manager itself and unregisters it from the API.
  if (state.ownsContextManager) context.disable();
  if (state.ownsPropagator) propagation.disable();
}
