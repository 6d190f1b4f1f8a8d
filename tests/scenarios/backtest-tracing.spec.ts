import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import {
  LoopAttribute,
  LoopSpanName,
  LoopStage,
  SpanTree,
  startInMemoryTelemetry,
  withSpan,
  type InMemoryTelemetry,
} from '@tightloop/telemetry';
import { runBacktest } from '@tightloop/runner';

const HOUR_MS = 3_600_000;
const START = '2024-07-01T00:00:00Z';
const TICKS = 6;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tl-tracing-'));

const TICK_STAGES = [
  LoopStage.POSITION,
  LoopStage.EXPOSURE,
  LoopStage.RISK,
  LoopStage.PNL,
  LoopStage.STRATEGY,
  LoopStage.EXECUTION,
].map(LoopSpanName.stage);
const RECONCILIATION_STAGES = [
  LoopStage.POSITION,
  LoopStage.EXPOSURE,
  LoopStage.RISK,
  LoopStage.PNL,
].map(LoopSpanName.stage);

const names = (spans: readonly ReadableSpan[]) => spans.map((s) => s.name);

function backtest(strategy: string, telemetry: InMemoryTelemetry | null) {
  return runBacktest(
    {
      strategy,
      start: START,
      end: new Date(Date.parse(START) + (TICKS - 1) * HOUR_MS).toISOString(),
      outDir: mkdtempSync(path.join(tmp, `${strategy}-`)),
      // One synthetic dataset, generated on the first run, for every run here.
      cacheDir: path.join(tmp, 'cache'),
      runId: `tracing-${strategy.replaceAll('_', '-')}`,
    },
    {},
    telemetry ? { tracer: telemetry.tracer } : {},
  );
}

// Story: in process, one trace per tick; under the tick the stages in the mandated order;
// under execution one span per unit (single instruction or atomic group), each with
// exactly one reconciliation pass holding the chain run again.
describe('tracing an in-process backtest', () => {
  let telemetry: InMemoryTelemetry;
  beforeAll(() => {
    telemetry = startInMemoryTelemetry('loop', 'silent');
  });
  beforeEach(() => telemetry.spans.reset());
  afterAll(() => telemetry.shutdown());

  it.each([
    ['btc_basis', 'single'],
    ['eth_leveraged', 'atomic'],
  ])(
    '%s: one trace per tick, stages in order, a reconciliation per unit',
    async (strategy, kind) => {
      const outcome = await backtest(strategy, telemetry);
      const spans = telemetry.spans.getFinishedSpans();
      const tree = new SpanTree(spans);

      const ticks = tree.roots();
      expect(names(ticks)).toEqual(Array(TICKS).fill(LoopSpanName.TICK));
      expect(new Set(ticks.map((t) => t.spanContext().traceId)).size).toBe(TICKS);
      ticks.forEach((tick, i) => {
        expect(tick.attributes).toEqual({
          [LoopAttribute.RUN_ID]: `tracing-${strategy.replaceAll('_', '-')}`,
          [LoopAttribute.TICK_INDEX]: i,
          [LoopAttribute.TICK_TS]: Date.parse(START) + i * HOUR_MS,
        });
        // Everything of a tick is in its trace, under its root.
        const inTrace = spans.filter((s) => s.spanContext().traceId === tick.spanContext().traceId);
        expect(tree.descendantsOf(tick)).toHaveLength(inTrace.length - 1);
        expect(names(tree.childrenOf(tick))).toEqual(TICK_STAGES);
      });

      const execution = ticks.map((t) => tree.childrenOf(t).at(-1)!);
      const units = execution.flatMap((e) => tree.childrenOf(e));
      expect(units.length).toBeGreaterThan(0);
      for (const unit of units) {
        expect(unit.name).toBe(LoopSpanName.UNIT);
        expect(unit.attributes[LoopAttribute.UNIT_OUTCOME]).toBe('executed');
        const passes = tree.childrenOf(unit).filter((c) => c.name === LoopSpanName.RECONCILIATION);
        expect(passes).toHaveLength(1);
        expect(names(tree.childrenOf(passes[0]!))).toEqual(RECONCILIATION_STAGES);
      }
      // Every executed instruction is in exactly one unit span.
      const instructionIds = units.flatMap((u) =>
        u.attributes[LoopAttribute.ATOMIC_GROUP_ID] === undefined
          ? [u.attributes[LoopAttribute.INSTRUCTION_ID] as string]
          : (u.attributes[LoopAttribute.INSTRUCTION_IDS] as string[]),
      );
      expect(new Set(instructionIds).size).toBe(outcome.summary.instructions);
      const atomic = units.filter((u) => u.attributes[LoopAttribute.ATOMIC_GROUP_ID] !== undefined);
      expect(atomic.length > 0).toBe(kind === 'atomic');
    },
  );

  it('starts a trace per tick even when the run is started inside a span', async () => {
    await withSpan(telemetry.tracer, 'request', {}, () => backtest('btc_basis', telemetry));
    const tree = new SpanTree(telemetry.spans.getFinishedSpans());
    const roots = tree.roots();
    expect(names(roots).sort()).toEqual(['request', ...Array(TICKS).fill(LoopSpanName.TICK)]);
    expect(tree.childrenOf(roots.find((r) => r.name === 'request')!)).toEqual([]);
  });

  it('traces nothing when no tracer is given', async () => {
    await backtest('btc_basis', null);
    expect(telemetry.spans.getFinishedSpans()).toEqual([]);
  });
});
