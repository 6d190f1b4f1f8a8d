import type { ExecutionUnit } from '@tightloop/contracts';
import type { UnitOutcome } from '../engine/loop.records';

/** The loop's stages as a trace names them, in the order a tick runs them. */
export type TracedStage = 'position' | 'exposure' | 'risk' | 'pnl' | 'strategy' | 'execution';

/** Lets the engine say on a unit's span how the unit ended. */
export interface UnitTraceNote {
  outcome(outcome: UnitOutcome): void;
}

/**
 * Where the loop marks its sections for tracing: a tick, each stage call, each execution
 * unit and the reconciliation pass that follows it. Every method runs `run` inside its
 * section and returns (or rethrows) what `run` does, unchanged; sections nest as the calls
 * do, so an implementation keeps the current section in its own context (the engine passes
 * no handles around). Tracing observes the loop and never alters it: the engine behaves
 * the same with any implementation, and `NOOP_LOOP_TRACER` is the default.
 */
export interface LoopTracer {
  tick<T>(tickIndex: number, tsMs: number, run: () => Promise<T>): Promise<T>;
  stage<T>(stage: TracedStage, run: () => Promise<T>): Promise<T>;
  unit<T>(
    unit: ExecutionUnit,
    unitIndex: number,
    run: (note: UnitTraceNote) => Promise<T>,
  ): Promise<T>;
  /** The chain run again after a unit executed, and the reconciliation of its result. */
  reconciliation<T>(run: () => Promise<T>): Promise<T>;
}

const NO_NOTE: UnitTraceNote = { outcome: () => undefined };

/** Calls straight through: no allocation beyond the caller's closure, no bookkeeping. */
export const NOOP_LOOP_TRACER: LoopTracer = Object.freeze({
  tick: <T>(_tickIndex: number, _tsMs: number, run: () => Promise<T>) => run(),
  stage: <T>(_stage: TracedStage, run: () => Promise<T>) => run(),
  unit: <T>(_unit: ExecutionUnit, _unitIndex: number, run: (note: UnitTraceNote) => Promise<T>) =>
    run(NO_NOTE),
  reconciliation: <T>(run: () => Promise<T>) => run(),
});
