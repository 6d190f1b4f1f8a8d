import type { SharedDataFile } from '../shared-data.layout';
import { HOUR_MS } from '../timestamp';
import {
  marketPaths,
  SYNTHETIC_HOURS,
  SYNTHETIC_START_MS,
  type MarketPaths,
} from './market-paths.model';
import { rng } from './mulberry32.prng';
import {
  candles,
  csv,
  dayOf,
  fixed,
  isoOffset,
  isoZ,
  uniswapDateUtc,
  unixSeconds,
  venueView,
} from './csv-format.helpers';
import { aaveDailyFile, aaveHourlyFile, oracleFile } from './synthetic-protocol.files';
import { pegFile, rewardsFile } from './synthetic-staking.files';

const at = (h: number) => SYNTHETIC_START_MS + h * HOUR_MS;
const SETTLEMENTS = SYNTHETIC_HOURS / 8;
// Math functions bound once: under jest's vm sandbox every global lookup in a hot loop costs ~20x.
const { abs, max, round } = Math;

/** Every file the shared-data manifest reads, as text, in the real files' columns and formats. */
export function syntheticFiles(seed: number): Record<SharedDataFile, string> {
  const p = marketPaths(seed);
  const r = (name: string) => rng(seed, name);
  const perp = (path: Float64Array, name: string, offsetBps: number) =>
    venueView(
      path.map((x, h) => x * (1 + p.basis[h]!)),
      r(name),
      offsetBps,
      1,
    );
  const binanceBtcSpot = venueView(p.btc, r('binance.btc.spot'), 0, 1);
  return {
    binanceBtcSpot: binanceOhlcv(binanceBtcSpot, seed, 'binance_spot,BTC/USDT', 1_000),
    bybitBtcSpot: bybitOhlcv(
      venueView(p.btc, r('bybit.btc.spot'), 1, 1.5),
      seed,
      'bybit,BTCUSDT,spot',
      200,
    ),
    bybitEthSpot: bybitOhlcv(
      venueView(p.eth, r('bybit.eth.spot'), 1, 1.5),
      seed,
      'bybit,ETHUSDT,spot',
      4_000,
    ),
    uniswapWethUsdt: uniswapOhlcv(venueView(p.eth, r('uniswap.eth'), -3, 5), seed, 'WETHUSDT', 6),
    uniswapEigenWeth: uniswapOhlcv(p.eigenWeth, seed, 'EIGENWETH', 12),
    uniswapEthfiWeth: uniswapOhlcv(p.ethfiWeth, seed, 'ETHFIWETH', 12),
    binanceBtcPerp: binanceOhlcv(
      perp(p.btc, 'binance.btc.perp', 0),
      seed,
      'binance_futures,BTCUSDT,futures',
      8_000,
    ),
    bybitBtcPerp: bybitOhlcv(
      perp(p.btc, 'bybit.btc.perp', 1),
      seed,
      'bybit,BTCUSDT,futures',
      3_000,
    ),
    binanceEthPerp: binanceOhlcv(
      perp(p.eth, 'binance.eth.perp', 0),
      seed,
      'binance_futures,ETHUSDT,futures',
      70_000,
    ),
    bybitEthPerp: bybitOhlcv(
      perp(p.eth, 'bybit.eth.perp', 1),
      seed,
      'bybit,ETHUSDT,futures',
      20_000,
    ),
    okxEthPerp: okxOhlcv(perp(p.eth, 'okx.eth.perp', -1), seed),
    binanceBtcFunding: fundingFile(
      venueFunding(p, seed, 'binance.btc', 1),
      'BTCUSDT,binance_futures',
    ),
    bybitBtcFunding: fundingFile(venueFunding(p, seed, 'bybit.btc', 1), 'BTCUSDT,bybit'),
    binanceEthFunding: fundingFile(
      venueFunding(p, seed, 'binance.eth', 0.9),
      'ETHUSDT,binance_futures',
    ),
    bybitEthFunding: fundingFile(venueFunding(p, seed, 'bybit.eth', 0.9), 'ETHUSDT,bybit'),
    okxBtcFundingRows: okxFundingRows(venueFunding(p, seed, 'okx.btc', 1), 'BTC-USDT-SWAP'),
    okxEthFundingRows: okxFundingRows(venueFunding(p, seed, 'okx.eth', 0.9), 'ETH-USDT-SWAP'),
    aaveUsdtDaily: aaveDailyFile(seed, 'USDT', p),
    aaveWethDaily: aaveDailyFile(seed, 'WETH', p),
    aaveWeethHourly: aaveHourlyFile(seed, 'weETH', p),
    aaveWstethHourly: aaveHourlyFile(seed, 'wstETH', p),
    oracleWethUsd: oracleFile('WETH', venueView(p.eth, r('oracle.weth'), 0, 2)),
    oracleWeethEth: oracleFile('weETH', p.weethEth),
    oracleWstethEth: oracleFile('wstETH', p.wstethEth),
    gas: gasFile(p, seed),
    pegWeeth: pegFile(seed, 'weETH', p.weethEth),
    pegWsteth: pegFile(seed, 'wstETH', p.wstethEth),
    etherfiRewards: rewardsFile(seed),
  };
}

const OHLC = 'open,high,low,close,volume';

function binanceOhlcv(opens: Float64Array, seed: number, tail: string, volume: number): string {
  const c = candles(opens, rng(seed, `candles.${tail}`), volume);
  const header = `timestamp,${OHLC},quote_volume,trades_count,source,${tail.split(',').length === 2 ? 'asset_pair' : 'symbol,data_type'}`;
  return csv(header, c.length, (h) => {
    const k = c[h]!;
    const row = [
      isoZ(at(h)),
      fixed(k.open, 2),
      fixed(k.high, 2),
      fixed(k.low, 2),
      fixed(k.close, 2),
    ];
    return `${row.join(',')},${fixed(k.volume, 5)},${fixed(k.volume * k.open, 5)},${round(k.volume * 40)},${tail}`;
  });
}

function bybitOhlcv(opens: Float64Array, seed: number, tail: string, volume: number): string {
  const c = candles(opens, rng(seed, `candles.${tail}`), volume);
  return csv(`timestamp,${OHLC},source,symbol,data_type,turnover`, c.length, (h) => {
    const k = c[h]!;
    const row = [
      isoZ(at(h)),
      fixed(k.open, 2),
      fixed(k.high, 2),
      fixed(k.low, 2),
      fixed(k.close, 2),
    ];
    return `${row.join(',')},${fixed(k.volume, 6)},${tail},${fixed(k.volume * k.open, 7)}`;
  });
}

function okxOhlcv(opens: Float64Array, seed: number): string {
  const c = candles(opens, rng(seed, 'candles.okx.eth'), 900_000);
  return csv(`timestamp,${OHLC},source,symbol,data_type`, c.length, (h) => {
    const k = c[h]!;
    const row = [
      isoZ(at(h)),
      fixed(k.open, 2),
      fixed(k.high, 2),
      fixed(k.low, 2),
      fixed(k.close, 2),
    ];
    return `${row.join(',')},${fixed(k.volume, 2)},okx,ETHUSDT,futures`;
  });
}

function uniswapOhlcv(opens: Float64Array, seed: number, pair: string, volume: number): string {
  const c = candles(opens, rng(seed, `candles.${pair}`), volume);
  const [base, quote] = pair === 'WETHUSDT' ? ['WETH', 'USDT'] : [pair.replace('WETH', ''), 'WETH'];
  const pool = `0x${pair
    .toLowerCase()
    .padEnd(40, '0')
    .replace(/[^0-9a-f]/g, '0')}`;
  return csv(
    'timestamp,date_utc,open,high,low,close,volume,pool_address,dex,fee_tier,base_token,quote_token,source',
    c.length,
    (h) => {
      const k = c[h]!;
      const prices = [k.open, k.high, k.low, k.close].map(String);
      return `${unixSeconds(at(h))},${uniswapDateUtc(at(h))},${prices.join(',')},${k.volume},${pool},Uniswap v3,0.3%,${base},${quote},synthetic`;
    },
  );
}

/** A venue's settled rate per 8h: the common funding path scaled per asset, plus venue noise. */
function venueFunding(p: MarketPaths, seed: number, name: string, scale: number): Float64Array {
  const r = rng(seed, `funding.${name}`);
  return p.funding.map((f) => f * scale + 1e-5 * r.normal());
}

function fundingFile(rates: Float64Array, tail: string): string {
  return csv(
    'funding_timestamp,funding_rate,symbol,source',
    SETTLEMENTS,
    (k) => `${isoZ(at(8 * k))},${+rates[k]!.toFixed(8)},${tail}`,
  );
}

/** OKX raw rows: `funding_rate` is the predicted next rate, `real_funding_rate` the settled one. */
function okxFundingRows(rates: Float64Array, instrument: string): string {
  return csv(
    'instrument,contract_type,funding_rate,real_funding_rate,funding_time,date',
    SETTLEMENTS,
    (k) => {
      const predicted = 0.5 * (rates[k + 1] ?? rates[k]!);
      return `${instrument},SWAP,${predicted},${rates[k]},${isoOffset(at(8 * k))},${dayOf(at(8 * k))}`;
    },
  );
}

function gasFile(p: MarketPaths, seed: number): string {
  const r = rng(seed, 'gas.file');
  const header =
    'timestamp,chain,block_number,block_timestamp,gas_price_gwei,gas_price_avg_gwei,gas_price_median_gwei,' +
    'base_fee_gwei,priority_fee_p25_gwei,priority_fee_p50_gwei,priority_fee_p75_gwei,source,note';
  return csv(header, SYNTHETIC_HOURS, (h) => {
    const gas = p.gasGwei[h]!;
    const tip = 0.1 + 0.5 * abs(r.normal());
    const block = 18_908_889 + h * 300;
    const fees = [gas, gas, gas * 0.97, max(0.01, gas - tip), 0.05, tip, tip * 2].map((x) =>
      fixed(x, 2),
    );
    return `${isoZ(at(h))},ethereum,${block},${at(h) / 1000 + 11},${fees.join(',')},synthetic,Synthetic seeded data - not market history`;
  });
}
