import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBacktest } from '@tightloop/runner';
import { readCsv, readRawCsv } from '../support/csv';
import { describeWithRealData, REAL_DATA_DIR } from '../support/real-data';

const HOUR = 3_600_000;

/** Funding rates straight from the raw files: OKX from its raw rows' realised rate. */
function rawFundingRates(dataDir: string): Map<string, number> {
  const rates = new Map<string, number>();
  const load = (venue: string, file: string, timeCol: string, rateCol: string) => {
    for (const row of readRawCsv(path.join(dataDir, file))) {
      const ms = Date.parse(row[timeCol]!.replace(' ', 'T'));
      rates.set(`${venue}@${ms}`, Number(row[rateCol]));
    }
  };
  load(
    'binance',
    'market_data/derivatives/funding_rates/binance_BTCUSDT_funding_rates_2024-01-01_2025-09-30.csv',
    'funding_timestamp',
    'funding_rate',
  );
  load(
    'bybit',
    'market_data/derivatives/funding_rates/bybit_BTCUSDT_funding_rates_2024-01-01_2025-09-30.csv',
    'funding_timestamp',
    'funding_rate',
  );
  load(
    'okx',
    'market_data/okx/funding_rates/okx_BTC-USDT-SWAP_rows_from_daily_2024-05-01_2025-09-07.csv',
    'funding_time',
    'real_funding_rate',
  );
  return rates;
}

// Story: a desk runs the BTC cash-and-carry for a year: spot long on Binance, perp shorts
// on three venues. It must stay delta-neutral and collect exactly the funding in the data.
describeWithRealData('btc_basis on real history 2024-06-01 .. 2025-06-01', () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'tl-basis-')), 'run');
  let summary: Record<string, unknown>;

  beforeAll(async () => {
    ({ summary } = await runBacktest({
      strategy: 'btc_basis',
      start: '2024-06-01',
      end: '2025-06-01',
      outDir: out,
      dataDir: REAL_DATA_DIR!,
      cacheDir: os.tmpdir(),
    }));
  });

  it('is delta-neutral at every tick: |net BTC delta| under 1% of equity', () => {
    const exposures = readCsv(path.join(out, 'exposures.csv'));
    expect(exposures).toHaveLength(8761);
    const worst = Math.max(...exposures.map((r) => Number(r.delta_ratio)));
    expect(worst).toBeLessThan(0.01);
  });

  it('collects funding equal to the data rates applied to the short sizes held', () => {
    const rates = rawFundingRates(REAL_DATA_DIR!);
    const bybitMarks = new Map(
      readRawCsv(
        path.join(
          REAL_DATA_DIR!,
          'market_data/derivatives/futures_ohlcv/bybit_BTCUSDT_perp_1h_2024-01-01_2025-09-30.csv',
        ),
      ).map((r) => [Date.parse(r.timestamp!), Number(r.open)]),
    );
    const positions = readCsv(path.join(out, 'positions.csv'));
    const sizeBefore = new Map(positions.map((r) => [Date.parse(r.timestamp!) + HOUR, r]));
    const funding = readCsv(path.join(out, 'funding.csv'));
    // Every 8h settlement after the first tick, on each of the three venues.
    expect(funding).toHaveLength(365 * 3 * 3);
    let total = 0;
    let fallbacks = 0;
    for (const row of funding) {
      const ms = Date.parse(row.timestamp!);
      const venue = row.perp!.split(':')[0]!;
      let rate = rates.get(`${venue}@${ms}`);
      if (rate === undefined && venue === 'okx') {
        rate = rates.get(`binance@${ms}`); // documented rule: OKX gaps use Binance's rate
        fallbacks++;
      }
      expect(Number(row.rate_per_8h)).toBeCloseTo(rate!, 15);
      if (venue === 'bybit') expect(Number(row.mark_usd)).toBe(bybitMarks.get(ms)); // bar open at t
      const held = Number(sizeBefore.get(ms)![row.perp!]);
      expect(Number(row.size)).toBeCloseTo(held, 12);
      const amount = -held * Number(row.mark_usd) * rate!;
      expect(Number(row.amount_usd)).toBeCloseTo(amount, 6);
      total += amount;
    }
    expect(fallbacks).toBeGreaterThan(0); // August 2024 has no OKX rows
    const attribution = summary.attribution as Record<string, number>;
    expect(attribution.funding).toBeCloseTo(total, 4);
    expect(total).toBeGreaterThan(0);
  });

  it('explains its pnl: the unexplained remainder is under 0.1% of capital', () => {
    expect(Math.abs(summary.unexplainedPnl as number)).toBeLessThan(100);
    expect(summary.apy as number).toBeGreaterThan(0.01);
  });
});
