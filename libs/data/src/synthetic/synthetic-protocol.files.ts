import { HOUR_MS } from '../timestamp';
import {
  SYNTHETIC_DAYS,
  SYNTHETIC_HOURS,
  SYNTHETIC_START_MS,
  type MarketPaths,
} from './market-paths.model';
import { rng, type Rng } from './mulberry32.prng';
import { csv, dayOf, fixed, isoOffset, isoZ, unixSeconds } from './csv-format.helpers';

const DAY_MS = 24 * HOUR_MS;
// Math functions bound once: under jest's vm sandbox every global lookup in a hot loop costs ~20x.
const { exp, expm1, max } = Math;

/** Supply APR around `mean` (AR(1) per step) and borrow APR = supply / utilisation, so borrow > supply. */
function rates(r: Rng, steps: number, mean: number, utilisation: number) {
  const supply = new Float64Array(steps);
  const borrow = new Float64Array(steps);
  let x = mean;
  for (let k = 0; k < steps; k++) {
    supply[k] = x;
    borrow[k] = x / utilisation;
    x = max(mean * 0.2, mean + 0.9 * (x - mean) + mean * 0.08 * r.normal());
  }
  return { supply, borrow };
}

/** Index compounding at `apr` per step of `yearFraction` years, from `start`. */
function index(apr: Float64Array, start: number, yearFraction: number) {
  const out = new Float64Array(apr.length);
  let x = start;
  for (let k = 0; k < apr.length; k++) {
    out[k] = x;
    x *= exp(apr[k]! * yearFraction);
  }
  return out;
}

const DAILY = {
  USDT: {
    apr: 0.05,
    util: 0.85,
    supply: 1.0362,
    borrow: 1.0494,
    address: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
    tvl: 4e8,
  },
  WETH: {
    apr: 0.02,
    util: 0.75,
    supply: 1.0181,
    borrow: 1.0329,
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    tvl: 5e5,
  },
} as const;

/** AAVE USDT/WETH reserve snapshots at 00:00 each day (the real files are daily too). */
export function aaveDailyFile(seed: number, reserve: 'USDT' | 'WETH', p: MarketPaths): string {
  const c = DAILY[reserve];
  const { supply, borrow } = rates(rng(seed, `aave.${reserve}`), SYNTHETIC_DAYS, c.apr, c.util);
  const supplyIndex = index(supply, c.supply, 1 / 365);
  const borrowIndex = index(borrow, c.borrow, 1 / 365);
  const header =
    'targetDate,timestamp,blockNumber,reserve,symbol,liquidityIndex,currentLiquidityRate,variableBorrowIndex,' +
    'currentVariableBorrowRate,currentStableBorrowRate,totalAToken,totalStableDebt,totalVariableDebt,price,date';
  return csv(header, SYNTHETIC_DAYS, (d) => {
    const ms = SYNTHETIC_START_MS + d * DAY_MS;
    const price = reserve === 'USDT' ? 1 : p.eth[Math.min(d * 24, SYNTHETIC_HOURS - 1)]!;
    const values = [
      supplyIndex[d]!,
      supply[d]!,
      borrowIndex[d]!,
      borrow[d]!,
      borrow[d]! + 0.04,
    ].map(String);
    const size = c.tvl * (1 + d / SYNTHETIC_DAYS);
    return [
      isoZ(ms),
      unixSeconds(ms),
      18_908_894 + d * 7_150,
      c.address,
      reserve,
      ...values,
      fixed(size, 6),
      '0.0',
      fixed(size * c.util, 6),
      String(price),
      dayOf(ms),
    ].join(',');
  });
}

const HOURLY = {
  weETH: { apr: 0.001, util: 0.1, supply: 1.00004, borrow: 1.00079, rate: 'weethEth' },
  wstETH: { apr: 0.0003, util: 0.05, supply: 1.00054, borrow: 1.00493, rate: 'wstethEth' },
} as const;

/** AAVE weETH/wstETH hourly reserve rows, with the derived growth/APY columns of the real files. */
export function aaveHourlyFile(seed: number, reserve: 'weETH' | 'wstETH', p: MarketPaths): string {
  const c = HOURLY[reserve];
  const { supply, borrow } = rates(rng(seed, `aave.${reserve}`), SYNTHETIC_HOURS, c.apr, c.util);
  const supplyIndex = index(supply, c.supply, 1 / 8760);
  const borrowIndex = index(borrow, c.borrow, 1 / 8760);
  const header =
    'timestamp,date,hour,liquidityIndex,variableBorrowIndex,liquidity_growth_factor,borrow_growth_factor,' +
    'liquidity_apy_hourly,borrow_apy_hourly,liquidity_ccr_hourly,borrow_ccr_hourly,currentLiquidityRate,' +
    'currentVariableBorrowRate,totalAToken,totalVariableDebt,utilization_rate,oracle_price_usd,source';
  const tail = `${fixed(1e6, 4)},${fixed(1e6 * c.util, 4)},${c.util}`;
  return csv(header, SYNTHETIC_HOURS, (h) => {
    const ms = SYNTHETIC_START_MS + h * HOUR_MS;
    // The index grew by exp(apr/8760) over the previous hour: growth, APY and continuous rate follow.
    const [rs, rb] = h === 0 ? [0, 0] : [supply[h - 1]!, borrow[h - 1]!];
    const growth = `${exp(rs / 8760)},${exp(rb / 8760)}`;
    const apy = `${expm1(rs)},${expm1(rb)},${rs},${rb}`;
    const usd = fixed(p[c.rate][h]! * p.eth[h]!, 2);
    return `${isoOffset(ms)},${dayOf(ms)},${h % 24},${supplyIndex[h]},${borrowIndex[h]},${growth},${apy},${supply[h]},${borrow[h]},${tail},${usd},synthetic`;
  });
}

/** AAVE oracle file, with the `#` comment header of the real ones. */
export function oracleFile(asset: 'WETH' | 'weETH' | 'wstETH', values: Float64Array): string {
  const inEth = asset !== 'WETH';
  const comments = [
    `# Source: ${inEth ? 'aave_oracle_derived' : 'aave_oracle_extracted'} (synthetic)`,
    inEth ? `# Asset_pair: ${asset}_ETH` : `# Asset: ${asset}`,
    `# Quote_currency: ${inEth ? 'ETH' : 'USD'}`,
    ...(inEth ? ['# Methodology: asset_usd / eth_usd'] : []),
    `# Records: ${values.length}`,
  ];
  const column = inEth ? 'oracle_price_eth' : 'oracle_price_usd';
  const tail = `${asset},${inEth ? 'aave_oracle_derived' : 'aave_oracle_extracted'},${inEth ? 'ETH' : 'USD'}`;
  const body = csv(
    `timestamp,${column},asset,source,quote_currency`,
    values.length,
    (h) => `${isoOffset(SYNTHETIC_START_MS + h * HOUR_MS)},${values[h]},${tail}`,
  );
  return `${comments.join('\n')}\n${body}`;
}
