import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createStrategy, resolveStrategyConfig } from '@tightloop/core';
import { InMemoryCheckpointStore } from '@tightloop/persistence';
import { tableToCsv } from '@tightloop/results';
import { backtestInto, testCacheDir } from './backtest-results.fixture';
import { buildResultBundle } from './result-bundle.builder';
import { ResultsRecorder } from './results.recorder';
import { RecorderDeltas } from './results-recorder.delta';
import { foldStoredCheckpoints, type RunCheckpointState } from './run-checkpoint';

describe('results recorder deltas', () => {
  it("folded back into a fresh recorder, a run's stored deltas give the bundle it wrote", async () => {
    const store = new InMemoryCheckpointStore<RunCheckpointState>();
    const { dir } = await backtestInto(
      {
        strategy: 'btc_basis',
        start: '2024-06-01',
        end: '2024-06-15',
        cacheDir: testCacheDir(),
        runId: 'r',
      },
      { checkpoints: { store, everyTicks: 24 } },
    );
    expect(await store.since('r', 0, 0)).toHaveLength(Math.ceil(337 / 24)); // 337 hourly ticks

    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    const recorder = new ResultsRecorder(createStrategy(resolveStrategyConfig('btc_basis', {})));
    const deltas = new RecorderDeltas(recorder);
    const loop = await foldStoredCheckpoints(store, 'r', summary.ticks, deltas);
    expect(loop?.nextTickIndex).toBe(summary.ticks);

    const bundle = buildResultBundle(recorder, {
      config: summary.config,
      startMs: Date.parse(summary.start),
      endMs: Date.parse(summary.end),
      ticks: summary.ticks,
      wallSeconds: summary.wallSeconds,
      dataset: summary.dataset,
      dataRules: summary.dataRules,
    });
    expect(JSON.parse(JSON.stringify(bundle.summary))).toEqual(summary);
    for (const table of bundle.tables)
      expect([table.name, tableToCsv(table)]).toEqual([
        table.name,
        readFileSync(path.join(dir, `${table.name}.csv`), 'utf8'),
      ]);
    // Every row was taken once: nothing is left to take after the fold.
    expect(Object.values(deltas.take().rows).every((rows) => rows.length === 0)).toBe(true);
  });
});
