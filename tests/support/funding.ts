import path from 'node:path';
import { readRawCsv } from './csv';
import { REAL_DATA_DIR } from './real-data';
import type { RealRun } from './real-backtest';

const HOUR = 3_600_000;
const FILES = {
  BTC: {
    binance:
      'market_data/derivatives/funding_rates/binance_BTCUSDT_funding_rates_2024-01-01_2025-09-30.csv',
    bybit:
      'market_data/derivatives/funding_rates/bybit_BTCUSDT_funding_rates_2024-01-01_2025-09-30.csv',
    okx: 'market_data/okx/funding_rates/okx_BTC-USDT-SWAP_rows_from_daily_2024-05-01_2025-09-07.csv',
  },
  ETH: {
    binance:
      'market_data/derivatives/funding_rates/binance_ETHUSDT_funding_rates_2024-01-01_2025-09-26.csv',
    bybit:
      'market_data/derivatives/funding_rates/bybit_ETHUSDT_funding_rates_2024-01-01_2025-09-26.csv',
    okx: 'market_data/okx/funding_rates/okx_ETH-USDT-SWAP_rows_from_daily_2024-05-01_2025-09-07.csv',
  },
} as const;

/** Funding rates straight from the raw files; OKX from its raw rows' realised rate. */
function rawFundingRates(asset: 'BTC' | 'ETH'): Map<string, number> {
  const rates = new Map<string, number>();
  for (const [venue, file] of Object.entries(FILES[asset])) {
    const okx = venue === 'okx';
    for (const row of readRawCsv(path.join(REAL_DATA_DIR!, file))) {
      const ms = Date.parse(row[okx ? 'funding_time' : 'funding_timestamp']!.replace(' ', 'T'));
      rates.set(`${venue}@${ms}`, Number(row[okx ? 'real_funding_rate' : 'funding_rate']));
    }
  }
  return rates;
}

/**
 * Every settlement after the first tick, on each of the three venues, pays
 * -size x mark x rate with the rate of the raw data (OKX gaps: Binance's, the documented
 * rule) and the size held before the settlement; the funding attribution is their sum.
 */
export function expectFundingMatchesData(
  run: RealRun,
  asset: 'BTC' | 'ETH',
  settlements: number,
): number {
  const rates = rawFundingRates(asset);
  const positions = run.csv('positions');
  const heldBefore = new Map(positions.map((r) => [Date.parse(r.timestamp!) + HOUR, r]));
  const funding = run.csv('funding');
  expect(funding).toHaveLength(settlements * 3);
  let total = 0;
  for (const row of funding) {
    const ms = Date.parse(row.timestamp!);
    const venue = row.perp!.split(':')[0]!;
    const rate =
      rates.get(`${venue}@${ms}`) ?? (venue === 'okx' ? rates.get(`binance@${ms}`) : undefined);
    expect(rate).toBeDefined();
    expect(Number(row.rate_per_8h)).toBeCloseTo(rate!, 15);
    const held = Number(heldBefore.get(ms)![row.perp!]);
    expect(Number(row.size)).toBeCloseTo(held, 12);
    const amount = -held * Number(row.mark_usd) * rate!;
    expect(Number(row.amount_usd)).toBeCloseTo(amount, 6);
    total += amount;
  }
  expect(run.summary.attribution.funding).toBeCloseTo(total, 4);
  return total;
}

/** Largest |net delta| / equity over the run. */
export function maxDeltaRatio(run: RealRun): number {
  return Math.max(...run.csv('exposures').map((r) => Number(r.delta_ratio)));
}
