import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';

const byStart = (a: ReadableSpan, b: ReadableSpan) => compareHrTime(a.startTime, b.startTime);

function compareHrTime(a: HrTime, b: HrTime): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * Finished spans, possibly from several services' exporters, as the trees they form: for
 * tests that assert the shape of a trace. Children come in the order they started.
 */
export class SpanTree {
  private readonly children = new Map<string, ReadableSpan[]>();
  private readonly byId = new Map<string, ReadableSpan>();

  constructor(readonly spans: readonly ReadableSpan[]) {
    for (const span of [...spans].sort(byStart)) {
      this.byId.set(span.spanContext().spanId, span);
      const parent = span.parentSpanContext?.spanId;
      if (parent === undefined) continue;
      const siblings = this.children.get(parent) ?? [];
      siblings.push(span);
      this.children.set(parent, siblings);
    }
  }

  /** Spans without a parent: one per trace started here. */
  roots(): ReadableSpan[] {
    return this.spans.filter((s) => s.parentSpanContext === undefined).sort(byStart);
  }

  childrenOf(span: ReadableSpan): ReadableSpan[] {
    return this.children.get(span.spanContext().spanId) ?? [];
  }

  /** The span `child` names as its parent, when that span is among these. */
  parentOf(child: ReadableSpan): ReadableSpan | undefined {
    const parentId = child.parentSpanContext?.spanId;
    return parentId === undefined ? undefined : this.byId.get(parentId);
  }

  /** Every span under `span`, depth first in start order. */
  descendantsOf(span: ReadableSpan): ReadableSpan[] {
    return this.childrenOf(span).flatMap((c) => [c, ...this.descendantsOf(c)]);
  }
}
