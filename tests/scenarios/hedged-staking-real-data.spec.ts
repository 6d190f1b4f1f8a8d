import { expectFundingMatchesData, maxDeltaRatio } from '../support/funding';
import { expectSoundRun, realBacktest, type RealRun } from '../support/real-backtest';
import { describeWithRealData } from '../support/real-data';

// Story: a USDT treasury earns ETH staking yield without ETH price risk: half the equity
// staked (plain or levered on AAVE), half as CEX margin for perp shorts on the staked ETH.
describe.each(['usdt_eth_staking_hedged_simple', 'usdt_eth_staking_hedged_leveraged'])(
  '%s',
  (mode) => {
    describeWithRealData(`${mode} on real history`, () => {
      let run: RealRun;
      beforeAll(async () => {
        run = await realBacktest(mode);
      });

      it('trades on its first tick and explains its pnl', () => {
        expectSoundRun(run);
        expect(
          run
            .csv('instructions')
            .filter((i) => i.tick === '0')
            .map((i) => i.operation),
        ).toContain('perp_trade');
      });

      it('keeps net ETH delta under 2% of equity at every tick', () => {
        expect(maxDeltaRatio(run)).toBeLessThan(0.02);
      });

      it('earns staking yield and funding as the data says, within its risk limits', () => {
        expect(run.summary.attribution.stakingYield).toBeGreaterThan(0);
        expect(expectFundingMatchesData(run, 'ETH', 365 * 3)).toBeGreaterThan(0);
        const risk = run.csv('risk');
        expect(
          Math.min(
            ...risk.filter((r) => r.min_margin_ratio).map((r) => Number(r.min_margin_ratio)),
          ),
        ).toBeGreaterThan(0.1);
        const hf = risk.filter((r) => r.health_factor).map((r) => Number(r.health_factor));
        if (mode.endsWith('leveraged')) expect(Math.min(...hf)).toBeGreaterThan(1.1);
      });
    });
  },
);
