import path from 'node:path';
import { readRawCsv } from '../support/csv';
import { expectSoundRun, realBacktest, type RealRun } from '../support/real-backtest';
import { describeWithRealData, REAL_DATA_DIR } from '../support/real-data';

// Story: an ETH treasury loops weETH on AAVE at 65 % LTV with a flash loan and must earn
// about the levered carry (y - b x LTV) / (1 - LTV) that the raw indexes imply, staying
// inside its health-factor limit all year.
describeWithRealData('eth_leveraged on real history', () => {
  let run: RealRun;
  beforeAll(async () => {
    run = await realBacktest('eth_leveraged');
  });

  it('levers up on the first tick in one atomic group, then keeps LTV in its band', () => {
    expectSoundRun(run);
    const first = run.csv('instructions').filter((i) => i.tick === '0');
    expect(first.map((i) => i.operation)).toEqual([
      'flash_borrow',
      'stake',
      'stake',
      'supply',
      'borrow',
      'flash_repay',
    ]);
    expect(new Set(first.map((i) => i.atomic_group_id)).size).toBe(1);
    const risk = run
      .csv('risk')
      .map((r) => ({ ltv: Number(r.aave_ltv), hf: Number(r.health_factor) }));
    expect(Math.max(...risk.map((r) => r.ltv))).toBeLessThan(0.65 + 0.02 + 0.005);
    expect(Math.min(...risk.map((r) => r.hf))).toBeGreaterThan(1.1);
  });

  it('earns the levered carry implied by the raw weETH rate and AAVE indexes, plus rewards', () => {
    const dir = REAL_DATA_DIR!;
    const oracle = readRawCsv(
      path.join(dir, 'protocol_data/aave/oracle/weETH_ETH_oracle_2024-01-01_2025-09-18.csv'),
    );
    const weeth = readRawCsv(
      path.join(
        dir,
        'protocol_data/aave/rates/aave_v3_aave-v3-ethereum_weETH_rates_2024-05-12_2025-09-18_hourly.csv',
      ),
    );
    const weth = readRawCsv(
      path.join(
        dir,
        'protocol_data/aave/rates/aave_v3_aave-v3-ethereum_WETH_rates_2024-01-01_2025-09-18.csv',
      ),
    );
    const growth = (
      rows: Record<string, string>[],
      col: string,
      key: string,
      a: string,
      b: string,
    ) =>
      Number(rows.find((r) => r[key] === b)![col]) / Number(rows.find((r) => r[key] === a)![col]) -
      1;
    const [a, b] = ['2024-06-01 00:00:00+00:00', '2025-06-01 00:00:00+00:00'];
    const staking = growth(oracle, 'oracle_price_eth', 'timestamp', a, b);
    const supply = growth(weeth, 'liquidityIndex', 'timestamp', a, b);
    const borrow = growth(
      weth,
      'variableBorrowIndex',
      'targetDate',
      '2024-06-01T00:00:00Z',
      '2025-06-01T00:00:00Z',
    );
    const ltv = 0.65;
    const carry = ((1 + staking) * (1 + supply) - 1 - borrow * ltv) / (1 - ltv);
    const rewards = run.summary.attribution.rewards! / run.summary.initialCapital;
    const withoutRewards = (run.summary.totalReturn as number) - rewards;
    // LTV drifts inside its +/- 2 % band and costs are paid: within 0.75 percentage points.
    expect(Math.abs(withoutRewards - carry)).toBeLessThan(0.0075);
  });
});
