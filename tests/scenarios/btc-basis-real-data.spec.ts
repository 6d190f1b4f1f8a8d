import path from 'node:path';
import { readRawCsv } from '../support/csv';
import { expectFundingMatchesData, maxDeltaRatio } from '../support/funding';
import { expectSoundRun, realBacktest, type RealRun } from '../support/real-backtest';
import { describeWithRealData, REAL_DATA_DIR } from '../support/real-data';

// Story: a desk runs the BTC cash-and-carry for a year: spot long on Binance, perp shorts
// on three venues. It must stay delta-neutral and collect exactly the funding in the data.
describeWithRealData('btc_basis on real history 2024-06-01 .. 2025-06-01', () => {
  let run: RealRun;
  beforeAll(async () => {
    run = await realBacktest('btc_basis');
  });

  it('trades on its first tick and explains its pnl', () => {
    expectSoundRun(run);
    expect(run.summary.ticks).toBe(8761);
  });

  it('is delta-neutral at every tick: |net BTC delta| under 1% of equity', () => {
    expect(run.csv('exposures')).toHaveLength(8761);
    expect(maxDeltaRatio(run)).toBeLessThan(0.01);
  });

  it('collects funding equal to the data rates applied to the short sizes held', () => {
    const total = expectFundingMatchesData(run, 'BTC', 365 * 3);
    expect(total).toBeGreaterThan(0);
    // Marks are bar opens at the settlement instant (Bybit has no gaps to fill).
    const bybit = new Map(
      readRawCsv(
        path.join(
          REAL_DATA_DIR!,
          'market_data/derivatives/futures_ohlcv/bybit_BTCUSDT_perp_1h_2024-01-01_2025-09-30.csv',
        ),
      ).map((r) => [Date.parse(r.timestamp!), Number(r.open)]),
    );
    for (const row of run.csv('funding').filter((r) => r.perp!.startsWith('bybit'))) {
      expect(Number(row.mark_usd)).toBe(bybit.get(Date.parse(row.timestamp!)));
    }
    expect(run.csv('events').some((e) => e.code!.startsWith('LIQUIDATION'))).toBe(false);
  });
});
