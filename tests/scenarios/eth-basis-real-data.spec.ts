import { expectFundingMatchesData, maxDeltaRatio } from '../support/funding';
import { expectSoundRun, realBacktest, type RealRun } from '../support/real-backtest';
import { describeWithRealData } from '../support/real-data';

// Story: the ETH cash-and-carry, USDT share class (Binance ETH spot priced by Bybit's, the
// documented proxy): neutral at every tick, funding exactly as the data says.
describeWithRealData('eth_basis on real history', () => {
  let run: RealRun;
  beforeAll(async () => {
    run = await realBacktest('eth_basis');
  });

  it('trades on its first tick, stays neutral and explains its pnl', () => {
    expectSoundRun(run);
    expect(maxDeltaRatio(run)).toBeLessThan(0.01);
  });

  it('collects the funding of the data on its short sizes, and keeps every venue above maintenance', () => {
    expect(expectFundingMatchesData(run, 'ETH', 365 * 3)).toBeGreaterThan(0);
    const minMargin = Math.min(
      ...run
        .csv('risk')
        .filter((r) => r.min_margin_ratio)
        .map((r) => Number(r.min_margin_ratio)),
    );
    expect(minMargin).toBeGreaterThan(0.1);
  });
});
