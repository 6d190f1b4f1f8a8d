import {
  context as otelContext,
  ROOT_CONTEXT,
  trace,
  type Attributes,
  type Context,
  type HrTime,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { ExecutionUnit } from '@tightloop/contracts';
import type { LoopTracer, TracedStage, UnitTraceNote } from '@tightloop/core';
import { LoopAttribute, LoopSpanName, LoopStage, TickSpeculation } from './loop-span.attributes';
import { injectTraceContextRecord } from './trace-context.propagation';
import { markSpanFailed, withSpan } from './with-span.helper';

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

interface RunningTick {
  readonly tickIndex: number;
  readonly tsMs: number;
  readonly startTime: HrTime;
  span?: Span;
}

/**
 * The loop's sections as OpenTelemetry spans, nested through the active context (the
 * context manager carries it across the loop's awaits), so whatever a stage does inside
 * its span, a NATS request included, is that span's child.
 *
 * A transport that opens ticks ahead of the loop (NATS speculation) opens their spans
 * ahead too (`openAhead`), so the stage services put each speculated tick's stages in its
 * own trace. Whether the loop then runs a tick on its speculation is known only once the
 * tick has begun, so a tick's span is started at its first use: a traced call (a stage
 * span, or `activeContext` for a message sent straight from the tick) takes the span
 * opened ahead unless `discardAhead` ended it first, and otherwise starts a fresh one,
 * timed from the tick's start. Ticks run one at a time.
 */
export class OtelLoopTracer implements LoopTracer {
  private running: RunningTick | null = null;
  /** Spans of ticks opened ahead, until the loop runs them or they are discarded. */
  private readonly ahead = new Map<number, Span>();

  constructor(
    private readonly tracer: Tracer,
    private readonly runId: string,
  ) {}

  tick<T>(tickIndex: number, tsMs: number, run: () => Promise<T>): Promise<T> {
    const running: RunningTick = { tickIndex, tsMs, startTime: hrTime() };
    this.running = running;
    // Outside whatever is active (an HTTP request that started the run, say): one trace per
    // tick is the contract, and a year of hourly ticks would not fit in one trace anyway.
    return otelContext.with(ROOT_CONTEXT, async () => {
      try {
        return await run();
      } catch (error) {
        markSpanFailed(this.spanOf(running), error);
        throw error;
      } finally {
        this.spanOf(running).end();
        this.running = null;
      }
    });
  }

  stage<T>(stage: TracedStage, run: () => Promise<T>): Promise<T> {
    const span = STAGE_SPANS[stage];
    return withSpan(this.tracer, span.name, span.attributes, run, this.activeContext());
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
    return withSpan(
      this.tracer,
      LoopSpanName.UNIT,
      attributes,
      (span) =>
        run({ outcome: (outcome) => span.setAttribute(LoopAttribute.UNIT_OUTCOME, outcome) }),
      this.activeContext(),
    );
  }

  reconciliation<T>(run: () => Promise<T>): Promise<T> {
    return withSpan(
      this.tracer,
      LoopSpanName.RECONCILIATION,
      NO_ATTRIBUTES,
      run,
      this.activeContext(),
    );
  }

  /** The context a span or message starting now belongs to: the active span's, else the tick's. */
  activeContext(): Context {
    const active = otelContext.active();
    if (trace.getSpan(active) !== undefined || this.running === null) return active;
    return trace.setSpan(active, this.spanOf(this.running));
  }

  /**
   * Starts the span of tick `tickIndex`, which the loop has not reached, and answers its
   * W3C traceparent ('' if the tracer makes no real spans); asked again, the same span's.
   */
  openAhead(tickIndex: number, tsMs: number): string {
    let span = this.ahead.get(tickIndex);
    if (span === undefined) {
      span = this.startTick(tickIndex, tsMs, hrTime());
      this.ahead.set(tickIndex, span);
    }
    return injectTraceContextRecord({}, trace.setSpan(ROOT_CONTEXT, span)).traceparent ?? '';
  }

  /**
   * Ends the span opened ahead for `tickIndex` as discarded: the loop opens that tick anew,
   * in a span of its own. Only before the tick's first traced call (see the class note).
   */
  discardAhead(tickIndex: number): void {
    const span = this.ahead.get(tickIndex);
    if (span === undefined) return;
    this.ahead.delete(tickIndex);
    span.setAttribute(LoopAttribute.TICK_SPECULATION, TickSpeculation.DISCARDED);
    span.end();
  }

  private spanOf(running: RunningTick): Span {
    if (running.span !== undefined) return running.span;
    const opened = this.ahead.get(running.tickIndex);
    this.ahead.delete(running.tickIndex);
    opened?.setAttribute(LoopAttribute.TICK_SPECULATION, TickSpeculation.TAKEN);
    running.span = opened ?? this.startTick(running.tickIndex, running.tsMs, running.startTime);
    return running.span;
  }

  private startTick(tickIndex: number, tsMs: number, startTime: HrTime): Span {
    const attributes = {
      [LoopAttribute.RUN_ID]: this.runId,
      [LoopAttribute.TICK_INDEX]: tickIndex,
      [LoopAttribute.TICK_TS]: tsMs,
    };
    return this.tracer.startSpan(LoopSpanName.TICK, { attributes, startTime }, ROOT_CONTEXT);
  }
}
