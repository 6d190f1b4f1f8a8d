import {
  manifestSchema,
  type DatasetManifest,
  type DatasetManifestInput,
  type FileSource,
} from './manifest.schema';
import { SHARED_DATA_FILES as F } from './shared-data.layout';

/**
 * The real data set: which file and column answers each MarketNeed, in what units and
 * cadence, and which rule covers each known gap. Domain code only sees MarketNeeds.
 */
type Options = Partial<Pick<FileSource, 'fallback' | 'maxGapHours'>>;
type Series = DatasetManifestInput['series'][number];

// OHLCV rows are labelled with the bar's open time: `open` is the price at t, `close` leaks an hour.
const ohlcv = (file: string, fallback?: string) =>
  ({
    file,
    timeColumn: 'timestamp',
    timeFormat: 'iso',
    valueColumn: 'open',
    cadence: '1h',
    fallback,
  }) as const;
// Uniswap `date_utc` is malformed (`...+00:00Z`); the unix-second `timestamp` is reliable.
const uniswap = (file: string) =>
  ({
    file,
    timeColumn: 'timestamp',
    timeFormat: 'unix_s',
    valueColumn: 'open',
    cadence: '1h',
  }) as const;
const funding = (file: string) =>
  ({
    file,
    timeColumn: 'funding_timestamp',
    timeFormat: 'iso',
    valueColumn: 'funding_rate',
    cadence: '8h',
  }) as const;
/**
 * OKX: the derived `okx_*USDT_funding_rates` file carries OKX's *predicted* next rate (~2.7 %/yr,
 * 210 conflicting duplicates). The raw daily rows carry the settled `real_funding_rate` per
 * `funding_time` (~7 %/yr like Binance and Bybit; repeats identical): trust those. The rows
 * are shuffled within each day (sorted, logged). August 2024 and 13 days are missing: the
 * same asset's Binance rate fills those settlements, logged.
 */
const okxFunding = (file: string, fallback: string) =>
  ({
    file,
    timeColumn: 'funding_time',
    timeFormat: 'iso',
    valueColumn: 'real_funding_rate',
    cadence: '8h',
    order: 'sort',
    fallback,
  }) as const;
// Daily 00:00 snapshots; DOMAIN §4.4: the hourly index is the linear interpolation between them.
const aaveDaily = (file: string, valueColumn: string) =>
  ({
    file,
    timeColumn: 'timestamp',
    timeFormat: 'unix_s',
    valueColumn,
    cadence: '1d',
    interpolate: 'linear',
  }) as const;
// AAVE hourly files and oracles: `2024-05-12 01:00:00+00:00`; oracles have `#` comment headers.
const hourly = (file: string, valueColumn: string, o: Options = {}) =>
  ({ file, timeColumn: 'timestamp', timeFormat: 'iso', valueColumn, cadence: '1h', ...o }) as const;

const spec = (
  id: string,
  target: string | undefined,
  units: string,
  source: Series['source'],
): Series => ({
  id,
  ...(target ? { target: target as Series['target'] } : {}),
  units,
  source,
});
const PER_8H = 'fraction per 8h, not annualised';

const series: Series[] = [
  spec(
    'binance.btc.spot',
    'spotUsd:binance:BTC',
    'USDT/BTC',
    ohlcv(F.binanceBtcSpot, 'bybit.btc.spot'),
  ),
  spec('bybit.btc.spot', 'spotUsd:bybit:BTC', 'USDT/BTC', ohlcv(F.bybitBtcSpot)),
  spec('bybit.eth.spot', 'spotUsd:bybit:ETH', 'USDT/ETH', ohlcv(F.bybitEthSpot)),
  spec('binance.eth.spot', 'spotUsd:binance:ETH', 'USDT/ETH', {
    proxyOf: 'bybit.eth.spot',
    reason: 'no Binance ETH spot file in the data set',
  }),
  spec('uniswap.eth.spot', 'spotUsd:uniswap:ETH', 'USDT/WETH', uniswap(F.uniswapWethUsdt)),
  // EIGEN first traded in October 2024: before its first row it has no price, not an error.
  spec('uniswap.eigen.weth', undefined, 'WETH/EIGEN', {
    ...uniswap(F.uniswapEigenWeth),
    startsLate: true,
  }),
  spec('uniswap.ethfi.weth', undefined, 'WETH/ETHFI', uniswap(F.uniswapEthfiWeth)),

  spec(
    'prices.btc',
    'pricesUsd:BTC',
    'USD/BTC (USDT = USD)',
    ohlcv(F.binanceBtcSpot, 'bybit.btc.spot'),
  ),
  // Not the AAVE WETH/USD oracle: its hourly rows are a straight line between daily prices,
  // so each hour already moves 1/24 of the way towards the next day's price (look-ahead).
  spec('prices.eth', 'pricesUsd:ETH', 'USD/ETH', ohlcv(F.bybitEthSpot)),
  spec('prices.usdt', 'pricesUsd:USDT', 'USD/USDT', {
    constant: 1,
    reason: 'USDT = 1 USD, no depeg modelling',
  }),
  spec('prices.eigen', 'pricesUsd:EIGEN', 'USD/EIGEN', {
    product: ['uniswap.eigen.weth', 'prices.eth'],
  }),
  spec('prices.ethfi', 'pricesUsd:ETHFI', 'USD/ETHFI', {
    product: ['uniswap.ethfi.weth', 'prices.eth'],
  }),

  spec(
    'binance.btc.perp',
    'perpMarkUsd:binance:BTC',
    'USDT/BTC',
    ohlcv(F.binanceBtcPerp, 'bybit.btc.perp'),
  ),
  spec('bybit.btc.perp', 'perpMarkUsd:bybit:BTC', 'USDT/BTC', ohlcv(F.bybitBtcPerp)),
  spec('okx.btc.perp', 'perpMarkUsd:okx:BTC', 'USDT/BTC', {
    proxyOf: 'binance.btc.perp',
    reason: 'no OKX BTC perp file in the data set (DOMAIN §4.6)',
  }),
  spec(
    'binance.eth.perp',
    'perpMarkUsd:binance:ETH',
    'USDT/ETH',
    ohlcv(F.binanceEthPerp, 'bybit.eth.perp'),
  ),
  spec('bybit.eth.perp', 'perpMarkUsd:bybit:ETH', 'USDT/ETH', ohlcv(F.bybitEthPerp)),
  // Covers 2024-08-01..2025-08-31 with two month-long holes; Binance answers the rest.
  spec('okx.eth.perp', 'perpMarkUsd:okx:ETH', 'USDT/ETH', ohlcv(F.okxEthPerp, 'binance.eth.perp')),

  spec('binance.btc.funding', 'fundingRatePer8h:binance:BTC', PER_8H, funding(F.binanceBtcFunding)),
  spec('bybit.btc.funding', 'fundingRatePer8h:bybit:BTC', PER_8H, funding(F.bybitBtcFunding)),
  spec(
    'okx.btc.funding',
    'fundingRatePer8h:okx:BTC',
    PER_8H,
    okxFunding(F.okxBtcFundingRows, 'binance.btc.funding'),
  ),
  spec('binance.eth.funding', 'fundingRatePer8h:binance:ETH', PER_8H, funding(F.binanceEthFunding)),
  spec('bybit.eth.funding', 'fundingRatePer8h:bybit:ETH', PER_8H, funding(F.bybitEthFunding)),
  spec(
    'okx.eth.funding',
    'fundingRatePer8h:okx:ETH',
    PER_8H,
    okxFunding(F.okxEthFundingRows, 'binance.eth.funding'),
  ),

  spec(
    'aave.usdt.supply',
    'aaveSupplyIndex:USDT',
    'index',
    aaveDaily(F.aaveUsdtDaily, 'liquidityIndex'),
  ),
  spec(
    'aave.usdt.borrow',
    'aaveBorrowIndex:USDT',
    'index',
    aaveDaily(F.aaveUsdtDaily, 'variableBorrowIndex'),
  ),
  spec(
    'aave.weth.supply',
    'aaveSupplyIndex:WETH',
    'index',
    aaveDaily(F.aaveWethDaily, 'liquidityIndex'),
  ),
  spec(
    'aave.weth.borrow',
    'aaveBorrowIndex:WETH',
    'index',
    aaveDaily(F.aaveWethDaily, 'variableBorrowIndex'),
  ),
  spec(
    'aave.weeth.supply',
    'aaveSupplyIndex:weETH',
    'index',
    hourly(F.aaveWeethHourly, 'liquidityIndex'),
  ),
  spec(
    'aave.weeth.borrow',
    'aaveBorrowIndex:weETH',
    'index',
    hourly(F.aaveWeethHourly, 'variableBorrowIndex'),
  ),
  spec(
    'aave.wsteth.supply',
    'aaveSupplyIndex:wstETH',
    'index',
    hourly(F.aaveWstethHourly, 'liquidityIndex'),
  ),
  spec(
    'aave.wsteth.borrow',
    'aaveBorrowIndex:wstETH',
    'index',
    hourly(F.aaveWstethHourly, 'variableBorrowIndex'),
  ),

  // LST/ETH exchange rate = AAVE oracle asset_usd / eth_usd (DOMAIN §4.7).
  spec(
    'lst.weeth.eth',
    'lstRateEth:weETH',
    'ETH/weETH',
    hourly(F.oracleWeethEth, 'oracle_price_eth'),
  ),
  spec(
    'lst.wsteth.eth',
    'lstRateEth:wstETH',
    'ETH/wstETH',
    hourly(F.oracleWstethEth, 'oracle_price_eth'),
  ),
  // gas_price_gwei (== gas_price_avg_gwei on every row, DOMAIN §10.35).
  spec('gas.price', 'gasPriceGwei', 'gwei', hourly(F.gas, 'gas_price_gwei')),

  // DEX price of the LST (exit price, DOMAIN §4.1); before the peg series starts, the oracle.
  spec(
    'lst.weeth.market',
    'lstMarketRateEth:weETH',
    'ETH/weETH on Curve',
    hourly(F.pegWeeth, 'market_rate', { fallback: 'lst.weeth.eth' }),
  ),
  spec(
    'lst.wsteth.market',
    'lstMarketRateEth:wstETH',
    'ETH/wstETH on Uniswap',
    hourly(F.pegWsteth, 'market_rate', { fallback: 'lst.wsteth.eth' }),
  ),
  // EtherFi restaking rewards per eETH at payout dates. The DeFiLlama rows after 2025-08-02
  // are yield approximations with no token amounts, so they are not distributions.
  spec('rewards.weeth.eigen', 'stakingRewardsPerEth:weETH:EIGEN', 'EIGEN per eETH', {
    rewards: { file: F.etherfiRewards, token: 'EIGEN', rewardTypes: ['EIGEN_via_KING'] },
  }),
  spec('rewards.weeth.ethfi', 'stakingRewardsPerEth:weETH:ETHFI', 'ETHFI per eETH', {
    rewards: {
      file: F.etherfiRewards,
      token: 'ETHFI',
      rewardTypes: ['ETHFI_via_KING', 'ETHFI_Seasonal_Airdrop'],
    },
  }),
];

export const SHARED_DATA_MANIFEST: DatasetManifest = manifestSchema.parse({
  name: 'basis-strategy-v1',
  kind: 'real',
  description:
    'Real hourly history 2024-01..2025-09 (Binance, Bybit, OKX, AAVE V3, Lido, EtherFi, Uniswap v3, ' +
    'Ethereum gas) in the layout of the basis-strategy-v1 data folder.',
  series,
});
