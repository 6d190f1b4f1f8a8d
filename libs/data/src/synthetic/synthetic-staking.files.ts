import { HOUR_MS } from '../timestamp';
import { csv, dayOf, isoOffset } from './csv-format.helpers';
import { SYNTHETIC_HOURS, SYNTHETIC_START_MS } from './market-paths.model';
import { rng } from './mulberry32.prng';

const DAY_MS = 24 * HOUR_MS;

/** LST peg file: the DEX trades a few bps under the protocol (oracle) rate. */
export function pegFile(seed: number, lst: 'weETH' | 'wstETH', rate: Float64Array): string {
  const r = rng(seed, `peg.${lst}`);
  const header =
    'timestamp,protocol_rate,asset,source,quote_currency,date_oracle,date_market,market_rate,dex,' +
    'market_rate_median_24h,peg_premium_percent,base_asset,processed_date';
  return csv(header, SYNTHETIC_HOURS, (h) => {
    const ms = SYNTHETIC_START_MS + h * HOUR_MS;
    const discount = 0.0005 + 0.0003 * r.normal();
    const market = rate[h]! * (1 - discount);
    const day = dayOf(ms);
    return `${isoOffset(ms)},${rate[h]},${lst},synthetic,ETH,${day},${day},${market},curve,${market},${-discount * 100},ETH,synthetic`;
  });
}

/**
 * EtherFi reward table in the real file's columns: weekly EIGEN distributions from
 * 2024-10-05 and monthly ETHFI ones, seeded amounts around the real ones' scale.
 */
export function rewardsFile(seed: number): string {
  const r = rng(seed, 'rewards');
  const header =
    'period_start,period_end,payout_date,period_days,reward_type,event_name,eigen_per_eeth_weekly,' +
    'eigen_price_usd,eth_price_usd,weekly_reward_eth,daily_yield_pct,daily_yield_conservative,' +
    'daily_yield_aggressive,daily_yield_final,distribution_mechanism,data_source,data_quality,' +
    'defillama_reward_apy,ethfi_per_eeth,ethfi_price_usd,distribution_eth';
  const rows: string[] = [];
  const end = SYNTHETIC_START_MS + SYNTHETIC_HOURS * HOUR_MS;
  for (let ms = Date.UTC(2024, 9, 5); ms < end; ms += 7 * DAY_MS) {
    const weekly = (0.18 + 0.02 * r.normal()).toFixed(3);
    rows.push(
      `${dayOf(ms - 6 * DAY_MS)},${dayOf(ms)},${dayOf(ms)},6,EIGEN_via_KING,EIGEN_Weekly_Distribution,${weekly},,,,,,,,king_protocol_weekly,synthetic,synthetic,,,,`,
    );
  }
  for (let ms = Date.UTC(2024, 3, 1); ms < end; ms += 30 * DAY_MS) {
    const perEth = (0.15 + 0.03 * r.normal()).toFixed(3);
    rows.push(
      `${dayOf(ms - 30 * DAY_MS)},${dayOf(ms)},${dayOf(ms)},30,ETHFI_via_KING,ETHFI_Distribution,,,,,,,,,king_protocol,synthetic,synthetic,,${perEth},,`,
    );
  }
  return `${[header, ...rows].join('\n')}\n`;
}
