/**
 * File paths of the shared data folder (IggyIkenna/basis-strategy-v1 `data/`), relative to
 * it. Read by the manifest, and written by the synthetic generator so both datasets share
 * one layout. Names' end dates do not match content (DOMAIN §10.33): never parse them.
 */
const SPOT = 'market_data/spot_prices';
const PERP = 'market_data/derivatives/futures_ohlcv';
const FUNDING = 'market_data/derivatives/funding_rates';
const OKX_RAW = 'market_data/okx/funding_rates';
const AAVE_RATES = 'protocol_data/aave/rates/aave_v3_aave-v3-ethereum';
const ORACLE = 'protocol_data/aave/oracle';
const STAKING = 'protocol_data/staking';

export const SHARED_DATA_FILES = {
  binanceBtcSpot: `${SPOT}/btc_usd/binance_BTCUSDT_1h_2024-01-01_2025-09-30.csv`,
  bybitBtcSpot: `${SPOT}/btc_usd/bybit_BTCUSDT_spot_1h_2024-01-01_2025-09-30.csv`,
  bybitEthSpot: `${SPOT}/eth_usd/bybit_ETHUSDT_spot_1h_2024-01-01_2025-09-26.csv`,
  uniswapWethUsdt: `${SPOT}/eth_usd/uniswapv3_WETHUSDT_1h_2024-01-01_2025-09-27.csv`,
  uniswapEigenWeth: `${SPOT}/protocol_tokens/uniswapv3_EIGENWETH_1h_2024-10-05_2025-09-27.csv`,
  uniswapEthfiWeth: `${SPOT}/protocol_tokens/uniswapv3_ETHFIWETH_1h_2024-04-01_2025-09-27.csv`,
  binanceBtcPerp: `${PERP}/binance_BTCUSDT_perp_1h_2024-01-01_2025-09-30.csv`,
  bybitBtcPerp: `${PERP}/bybit_BTCUSDT_perp_1h_2024-01-01_2025-09-30.csv`,
  binanceEthPerp: `${PERP}/binance_ETHUSDT_perp_1h_2024-01-01_2025-09-26.csv`,
  bybitEthPerp: `${PERP}/bybit_ETHUSDT_perp_1h_2024-01-01_2025-09-26.csv`,
  okxEthPerp: `${PERP}/okx_ETHUSDT_perp_1h_2024-08-01_2025-09-18.csv`,
  binanceBtcFunding: `${FUNDING}/binance_BTCUSDT_funding_rates_2024-01-01_2025-09-30.csv`,
  bybitBtcFunding: `${FUNDING}/bybit_BTCUSDT_funding_rates_2024-01-01_2025-09-30.csv`,
  binanceEthFunding: `${FUNDING}/binance_ETHUSDT_funding_rates_2024-01-01_2025-09-26.csv`,
  bybitEthFunding: `${FUNDING}/bybit_ETHUSDT_funding_rates_2024-01-01_2025-09-26.csv`,
  okxBtcFundingRows: `${OKX_RAW}/okx_BTC-USDT-SWAP_rows_from_daily_2024-05-01_2025-09-07.csv`,
  okxEthFundingRows: `${OKX_RAW}/okx_ETH-USDT-SWAP_rows_from_daily_2024-05-01_2025-09-07.csv`,
  aaveUsdtDaily: `${AAVE_RATES}_USDT_rates_2024-01-01_2025-09-18.csv`,
  aaveWethDaily: `${AAVE_RATES}_WETH_rates_2024-01-01_2025-09-18.csv`,
  aaveWeethHourly: `${AAVE_RATES}_weETH_rates_2024-05-12_2025-09-18_hourly.csv`,
  aaveWstethHourly: `${AAVE_RATES}_wstETH_rates_2024-05-12_2025-09-18_hourly.csv`,
  oracleWethUsd: `${ORACLE}/WETH_USD_oracle_2024-01-01_2025-09-18.csv`,
  oracleWeethEth: `${ORACLE}/weETH_ETH_oracle_2024-01-01_2025-09-18.csv`,
  oracleWstethEth: `${ORACLE}/wstETH_ETH_oracle_2024-01-01_2025-09-18.csv`,
  gas: 'blockchain_data/gas_prices/ethereum_gas_prices_2024-01-01_2025-09-26.csv',
  pegWeeth: `${STAKING}/peg_analysis/weETH_peg_analysis_2024-01-01_2025-09-18.csv`,
  pegWsteth: `${STAKING}/peg_analysis/wstETH_peg_analysis_2024-01-01_2025-09-18.csv`,
  etherfiRewards: `${STAKING}/restaking_final/etherfi_seasonal_rewards_2024-01-01_2025-09-18.csv`,
} as const;

export type SharedDataFile = keyof typeof SHARED_DATA_FILES;
