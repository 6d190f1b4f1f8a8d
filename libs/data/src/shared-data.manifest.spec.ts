import type { MarketNeed } from '@tightloop/contracts';
import type { LoadedMarketData } from './loaded-market-data.source';
import { loadMarketData } from './market-data.builder';
import { SHARED_DATA_MANIFEST } from './shared-data.manifest';

/**
 * Real-data checks against the shared data folder. They need the files, which the project
 * must not copy into its repository, so they run only when TIGHTLOOP_DATA_DIR points at them
 * (e.g. `TIGHTLOOP_DATA_DIR=../shared/data npx jest libs/data`).
 */
const DATA_DIR = process.env.TIGHTLOOP_DATA_DIR ?? '';
const REAL_DATA_AVAILABLE = DATA_DIR !== '';
if (!REAL_DATA_AVAILABLE) {
  console.warn(
    'shared-data.manifest.spec: TIGHTLOOP_DATA_DIR is not set, so the real-data tests are skipped',
  );
}
const describeWithRealData = REAL_DATA_AVAILABLE ? describe : describe.skip;

const START = Date.UTC(2024, 5, 1);
const END = Date.UTC(2025, 5, 1);
const TARGETS = SHARED_DATA_MANIFEST.series.flatMap((s) =>
  s.target ? [s.target] : [],
) as MarketNeed[];
// EIGEN only trades from 2024-10-05 (first row of its Uniswap file), after this window's start.
const EIGEN: MarketNeed = 'pricesUsd:EIGEN';

describeWithRealData('shared data manifest on the real files', () => {
  let market: LoadedMarketData;
  const at = (iso: string) => market.timestampsMs.indexOf(Date.parse(iso));
  const details = () => market.rules.map((r) => r.detail);

  beforeAll(async () => {
    market = await loadMarketData({
      dataDir: DATA_DIR,
      startMs: START,
      endMs: END,
      needs: TARGETS.filter((t) => t !== EIGEN),
    });
  });

  it('loads every other target over 2024-06-01..2025-06-01 with a value at every required tick', () => {
    expect(market.timestampsMs).toHaveLength(365 * 24 + 1);
    expect(market.dataset).toEqual({ name: 'basis-strategy-v1', kind: 'real', dir: DATA_DIR });
    for (const need of TARGETS.filter((t) => t !== EIGEN)) {
      const values = market.values(need);
      if (need.startsWith('stakingRewardsPerEth:')) continue; // payouts: see below
      const required = need.startsWith('fundingRatePer8h:')
        ? values.filter((_, i) => i % 8 === 0)
        : values;
      expect([need, required.every(Number.isFinite)]).toEqual([need, true]);
    }
  });

  it('reward payouts appear only on payout dates: EIGEN weekly rate pro rata, ETHFI as stated', () => {
    const eigen = market.values('stakingRewardsPerEth:weETH:EIGEN');
    // Raw row: 2024-08-15..2024-10-05, 51 days at 0.205 EIGEN per eETH per week.
    expect(eigen[at('2024-10-05T00:00:00Z')]).toBeCloseTo((0.205 * 51) / 7, 12);
    expect(Number.isNaN(eigen[at('2024-10-05T01:00:00Z')]!)).toBe(true);
    // 2024-09-30: the third ETHFI season airdrop, 10.5 ETHFI per eETH.
    expect(market.values('stakingRewardsPerEth:weETH:ETHFI')[at('2024-09-30T00:00:00Z')]).toBe(
      10.5,
    );
  });

  it('prices are bar opens, not closes', () => {
    expect(market.snapshot(at('2024-06-01T00:00:00Z')).spotUsd['binance:BTC']).toBe(67540.01);
  });

  it('OKX funding is the raw rows real_funding_rate, with Binance filling the missing settlements', () => {
    // Raw row 2024-06-01 00:00: funding_rate 8.40800638395e-05 (predicted), real_funding_rate 6.79455382305e-05.
    expect(market.snapshot(at('2024-06-01T00:00:00Z')).fundingRatePer8h['okx:BTC']).toBe(
      6.79455382305e-5,
    );
    // August 2024 is missing from OKX: Binance's 2024-08-01 00:00 rate stands in, and says so.
    expect(market.snapshot(at('2024-08-01T00:00:00Z')).fundingRatePer8h['okx:BTC']).toBe(8.208e-5);
    expect(details()).toContain(
      'okx.btc.funding: 93 settlements from 2024-08-01T00:00Z to 2024-08-31T16:00Z filled from binance.btc.funding',
    );
    expect(
      market.rules.filter((r) => r.series === 'okx.btc.funding' && r.kind === 'fallback'),
    ).toHaveLength(11);
  });

  it('fills the Binance gap days from Bybit and reports each', () => {
    expect(details()).toContain(
      'binance.btc.spot: 23 hours from 2024-06-12T00:00Z to 2024-06-12T22:00Z filled from bybit.btc.spot',
    );
    expect(
      market.rules.filter((r) => r.series === 'binance.btc.spot' && r.kind === 'fallback'),
    ).toHaveLength(9);
    expect(market.snapshot(at('2024-06-12T05:00:00Z')).spotUsd['binance:BTC']).toBe(67486.23); // Bybit's open
    expect(details()).toContain(
      'okx.btc.perp: answered by binance.btc.perp (no OKX BTC perp file in the data set (DOMAIN §4.6))',
    );
  });

  it('the AAVE USDT supply index at a daily row equals the raw row exactly', () => {
    expect(market.snapshot(at('2024-06-01T00:00:00Z')).aaveSupplyIndex.USDT).toBe(
      1.070100426290384,
    );
  });

  it('EIGEN has no price before its first trade (reported), then EIGEN/WETH x ETH/USD', async () => {
    const early = await loadMarketData({
      dataDir: DATA_DIR,
      startMs: START,
      endMs: END,
      needs: [EIGEN],
    });
    expect(early.snapshot(0).pricesUsd.EIGEN).toBeUndefined();
    expect(early.rules.map((r) => r.kind)).toContain('absent');
    const eigen = await loadMarketData({
      dataDir: DATA_DIR,
      startMs: Date.UTC(2024, 9, 5),
      endMs: END,
      needs: [EIGEN],
    });
    // Uniswap EIGEN/WETH open x Bybit ETH spot open at 2024-10-05 12:00.
    expect(eigen.snapshot(12).pricesUsd.EIGEN).toBeCloseTo(0.0014083019879015 * 2417.53, 9);
  });

  it('loads the btc_basis needs for a year quickly', async () => {
    const needs: MarketNeed[] = [
      'pricesUsd:USDT',
      'pricesUsd:BTC',
      'pricesUsd:ETH',
      'spotUsd:binance:BTC',
      'gasPriceGwei',
    ];
    for (const v of ['binance', 'bybit', 'okx'])
      needs.push(`perpMarkUsd:${v}:BTC`, `fundingRatePer8h:${v}:BTC`);
    const started = performance.now();
    await loadMarketData({ dataDir: DATA_DIR, startMs: START, endMs: END, needs });
    const ms = performance.now() - started;
    console.info(`btc_basis needs, one year of real data: loaded in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2_000); // well under 1 s outside jest's sandbox
  });
});
