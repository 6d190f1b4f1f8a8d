import { ROOT_CONTEXT, type Attributes, type Tracer } from '@opentelemetry/api';
import type { ExecutionUnit } from '@tightloop/contracts';
import type { LoopTracer, TracedStage, UnitTraceNote } from '@tightloop/core';
import { LoopAttribute, LoopSpanName, LoopStage } from './loop-span.attributes';
import { withSpan } from './with-span.helper';

interface StageSpan {
  readonly name: string;
  readonly attributes: Attributes;
}

const stageSpan = (stage: LoopStage): StageSpan =>
  Object.freeze({
    name: LoopSpanName.stage(stage),
    attributes: Object.freeze({ [LoopAttribute.STAGE]: stage }),
  });

// Keyed by core's stage names and valued by the span contract's: a stage added on one side
// only fails to compile here rather than producing spans Jaeger queries do not know.
const STAGE_SPANS: Readonly<Record<TracedStage, StageSpan>> = Object.freeze({
  position: stageSpan(LoopStage.POSITION),
  exposure: stageSpan(LoopStage.EXPOSURE),
  risk: stageSpan(LoopStage.RISK),
  pnl: stageSpan(LoopStage.PNL),
  strategy: stageSpan(LoopStage.STRATEGY),
  execution: stageSpan(LoopStage.EXECUTION),
});

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/**
 * The loop's sections as OpenTelemetry spans, nested through the active context (the
 * context manager carries it across the loop's awaits), so whatever a stage does inside
 * its span, a NATS request included, is that span's child.
 */
export class OtelLoopTracer implements LoopTracer {
  constructor(
    private readonly tracer: Tracer,
    private readonly runId: string,
  ) {}

  tick<T>(tickIndex: number, tsMs: number, run: () => Promise<T>): Promise<T> {
    const attributes = {
      [LoopAttribute.RUN_ID]: this.runId,
      [LoopAttribute.TICK_INDEX]: tickIndex,
      [LoopAttribute.TICK_TS]: tsMs,
    };
    // A root whatever is active (an HTTP request that started the run, say): one trace per
    // tick is the contract, and a year of hourly ticks would not fit in one trace anyway.
    return withSpan(this.tracer, LoopSpanName.TICK, attributes, run, ROOT_CONTEXT);
  }

  stage<T>(stage: TracedStage, run: () => Promise<T>): Promise<T> {
    const span = STAGE_SPANS[stage];
    return withSpan(this.tracer, span.name, span.attributes, run);
  }

  unit<T>(
    unit: ExecutionUnit,
    unitIndex: number,
    run: (note: UnitTraceNote) => Promise<T>,
  ): Promise<T> {
    const attributes: Attributes = {
      // The unit is the execution stage's work, so a stage service answering the unit's
      // venue request finds the execution stage on its parent.
      [LoopAttribute.STAGE]: LoopStage.EXECUTION,
      [LoopAttribute.UNIT_INDEX]: unitIndex,
      ...(unit.kind === 'single'
        ? { [LoopAttribute.INSTRUCTION_ID]: unit.instruction.id }
        : {
            [LoopAttribute.ATOMIC_GROUP_ID]: unit.groupId,
            [LoopAttribute.INSTRUCTION_IDS]: unit.instructions.map((i) => i.id),
          }),
    };
    return withSpan(this.tracer, LoopSpanName.UNIT, attributes, (span) =>
      run({ outcome: (outcome) => span.setAttribute(LoopAttribute.UNIT_OUTCOME, outcome) }),
    );
  }

  reconciliation<T>(run: () => Promise<T>): Promise<T> {
    return withSpan(this.tracer, LoopSpanName.RECONCILIATION, NO_ATTRIBUTES, run);
  }
}
