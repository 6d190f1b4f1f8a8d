import path from 'node:path';
import { readRawCsv } from '../support/csv';
import { expectSoundRun, realBacktest, type RealRun } from '../support/real-backtest';
import { describeWithRealData, REAL_DATA_DIR } from '../support/real-data';

// Story: an ETH treasury stakes into weETH for a year; it must earn the weETH/ETH rate's
// growth (from the raw oracle) plus the EtherFi reward tokens it was paid and sold.
describeWithRealData('eth_staking_only on real history', () => {
  let run: RealRun;
  beforeAll(async () => {
    run = await realBacktest('eth_staking_only');
  });

  it('stakes on the first tick and explains its equity change', () => {
    expectSoundRun(run);
    expect(run.csv('instructions')[0]).toMatchObject({ operation: 'stake', intent: 'entry_full' });
  });

  it('earns the weETH/ETH exchange-rate growth of the raw oracle on what it staked', () => {
    const rows = readRawCsv(
      path.join(
        REAL_DATA_DIR!,
        'protocol_data/aave/oracle/weETH_ETH_oracle_2024-01-01_2025-09-18.csv',
      ),
    );
    const rate = (iso: string) => Number(rows.find((r) => r.timestamp === iso)!.oracle_price_eth);
    const growth = rate('2025-06-01 00:00:00+00:00') / rate('2024-06-01 00:00:00+00:00') - 1;
    expect(growth).toBeGreaterThan(0.02);
    // Staking attribution, per ETH of capital, is that growth (rewards restaked add a little).
    const staking = run.summary.attribution.stakingYield! / run.summary.initialCapital;
    expect(staking).toBeGreaterThan(growth * 0.99);
    expect(staking).toBeLessThan(growth * 1.03);
    expect(run.summary.attribution.rewards).toBeGreaterThan(0);
    expect(run.summary.totalReturn as number).toBeGreaterThan(growth);
  });
});
