import type { MarketSnapshot } from '@tightloop/contracts';

/** An ETH-family market: LST rates, AAVE reserves, ETH spot and perps at `ethUsd`. */
export function ethMarket(
  ethUsd = 3_000,
  overrides: Partial<MarketSnapshot> = {},
): Partial<MarketSnapshot> {
  return {
    pricesUsd: { USDT: 1, ETH: ethUsd, BTC: 60_000, EIGEN: 3, ETHFI: 1.5 },
    spotUsd: { 'binance:ETH': ethUsd, 'uniswap:ETH': ethUsd },
    perpMarkUsd: { 'binance:ETH': ethUsd, 'bybit:ETH': ethUsd, 'okx:ETH': ethUsd },
    lstRateEth: { weETH: 1.05 },
    lstMarketRateEth: { weETH: 1.049 },
    aaveSupplyIndex: { weETH: 1.001, WETH: 1.02 },
    aaveBorrowIndex: { weETH: 1.002, WETH: 1.03 },
    ...overrides,
  };
}
