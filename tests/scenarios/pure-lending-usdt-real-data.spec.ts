import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest } from '@tightloop/runner';
import { readCsv, readRawCsv } from '../support/csv';
import { describeWithRealData, REAL_DATA_DIR } from '../support/real-data';

// Story: a treasury supplies USDT to AAVE for a year and must earn what the reserve's
// supply index earned over that window, less gas.
describeWithRealData('pure_lending_usdt on real history 2024-06-01 .. 2025-06-01', () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-lending-')), 'run');
  let summary: Record<string, unknown>;

  beforeAll(async () => {
    ({ summary } = await runBacktest({
      strategy: 'pure_lending_usdt',
      start: '2024-06-01',
      end: '2025-06-01',
      outDir: out,
      dataDir: REAL_DATA_DIR!,
      cacheDir: os.tmpdir(),
    }));
  });

  it('earns the AAVE USDT supply index growth within 0.05 percentage points', () => {
    // Derived from the raw daily reserve file, independently of the engine.
    const rows = readRawCsv(
      path.join(
        REAL_DATA_DIR!,
        'protocol_data/aave/rates/aave_v3_aave-v3-ethereum_USDT_rates_2024-01-01_2025-09-18.csv',
      ),
    );
    const index = (day: string) =>
      Number(rows.find((r) => r.targetDate === `${day}T00:00:00Z`)!.liquidityIndex);
    const expected = index('2025-06-01') / index('2024-06-01') - 1;
    expect(expected).toBeGreaterThan(0.03);
    expect(Math.abs((summary.totalReturn as number) - expected)).toBeLessThan(0.0005);
  });

  it('supplies on the first tick, then holds, with attribution that adds up', () => {
    const instructions = readCsv(path.join(out, 'instructions.csv'));
    expect(instructions).toHaveLength(1);
    expect(instructions[0]).toMatchObject({
      timestamp: '2024-06-01T00:00:00.000Z',
      operation: 'supply',
      outcome: 'executed',
    });
    expect(Math.abs(summary.unexplainedPnl as number)).toBeLessThan(0.01);
    expect(summary.ticks).toBe(8761);
  });
});
