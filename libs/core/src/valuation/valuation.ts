import {
  parsePositionKey,
  perpBase,
  type MarketSnapshot,
  type PositionKey,
  type ShareClass,
} from '@tightloop/contracts';
import { LoopInvariantError } from '../errors';
import type { PerpMeta } from '../positions/position-state';

/** Wrapped ETH and ETH are one asset for pricing and delta. */
const ASSET_ALIASES: Readonly<Record<string, string>> = { WETH: 'ETH' };

export function canonicalAsset(symbol: string): string {
  return ASSET_ALIASES[symbol] ?? symbol;
}

function lookup(
  record: Readonly<Record<string, number>>,
  key: string,
  what: string,
  tsMs: number,
): number {
  const value = record[key];
  if (value === undefined) {
    throw new LoopInvariantError(
      'MKT.MISSING',
      `${what} "${key}" is not in the market snapshot at ${new Date(tsMs).toISOString()}`,
    );
  }
  return value;
}

export function priceUsd(market: MarketSnapshot, asset: string): number {
  return lookup(market.pricesUsd, canonicalAsset(asset), 'price', market.tsMs);
}

export function lstRate(market: MarketSnapshot, lst: string): number {
  return lookup(market.lstRateEth, lst, 'LST/ETH rate', market.tsMs);
}

export function perpMarkUsd(market: MarketSnapshot, venue: string, symbol: string): number {
  return lookup(market.perpMarkUsd, `${venue}:${perpBase(symbol)}`, 'perp mark', market.tsMs);
}

export function supplyIndex(market: MarketSnapshot, reserve: string): number {
  return lookup(market.aaveSupplyIndex, reserve, 'AAVE supply index', market.tsMs);
}

export function borrowIndex(market: MarketSnapshot, reserve: string): number {
  return lookup(market.aaveBorrowIndex, reserve, 'AAVE borrow index', market.tsMs);
}

const LSTS = new Set(['weETH', 'wstETH', 'stETH', 'eETH']);

export function isLst(symbol: string): boolean {
  return LSTS.has(symbol);
}

/** AAVE reserve behind an aToken / debtToken symbol: aUSDT -> USDT, debtWETH -> WETH. */
export function aaveReserve(symbol: string): string {
  if (symbol.startsWith('debt')) return symbol.slice(4);
  if (symbol.startsWith('a')) return symbol.slice(1);
  return symbol;
}

/** The asset a position moves with (its delta asset): LSTs and WETH count as ETH. */
export function deltaAsset(key: PositionKey): string {
  const { positionType, symbol } = parsePositionKey(key);
  if (positionType === 'Perp') return perpBase(symbol);
  const token =
    positionType === 'aToken' || positionType === 'debtToken' ? aaveReserve(symbol) : symbol;
  return isLst(token) ? 'ETH' : canonicalAsset(token);
}

/** Components of a position's value, so valuation and attribution share one formula. */
export interface ValueParts {
  /** Units of the delta asset held (negative for debt and shorts). */
  deltaUnits: number;
  /** AAVE index applied (1 when none). */
  index: number;
  /** LST/ETH rate applied (1 when none). */
  rate: number;
  /** Share-class price of one delta-asset unit (or perp mark). */
  price: number;
  /** Signed value in share-class units (perps: unrealised PnL). */
  value: number;
  /** Perp notional in share-class units, else 0. */
  notional: number;
  kind: 'asset' | 'debt' | 'perp';
}

/** Share-class price of an asset: USD price over the share-class USD price. */
export function priceSc(market: MarketSnapshot, asset: string, shareClass: ShareClass): number {
  return priceUsd(market, asset) / priceUsd(market, shareClass);
}

export function valueParts(
  key: PositionKey,
  amount: number,
  perp: PerpMeta | undefined,
  market: MarketSnapshot,
  shareClass: ShareClass,
): ValueParts {
  const { venue, positionType, symbol } = parsePositionKey(key);
  const scUsd = priceUsd(market, shareClass);
  switch (positionType) {
    case 'Perp': {
      const mark = perpMarkUsd(market, venue, symbol) / scUsd;
      const entry = (perp?.entryPriceUsd ?? 0) / scUsd;
      return {
        deltaUnits: amount,
        index: 1,
        rate: 1,
        price: mark,
        value: amount === 0 ? 0 : amount * (mark - entry),
        notional: Math.abs(amount) * mark,
        kind: 'perp',
      };
    }
    case 'aToken':
    case 'debtToken': {
      const reserve = aaveReserve(symbol);
      const index =
        positionType === 'aToken' ? supplyIndex(market, reserve) : borrowIndex(market, reserve);
      const rate = isLst(reserve) ? lstRate(market, reserve) : 1;
      const price = priceSc(market, isLst(reserve) ? 'ETH' : reserve, shareClass);
      const sign = positionType === 'debtToken' ? -1 : 1;
      const deltaUnits = sign * amount * index * rate;
      return {
        deltaUnits,
        index,
        rate,
        price,
        value: deltaUnits * price,
        notional: 0,
        kind: sign < 0 ? 'debt' : 'asset',
      };
    }
    default: {
      const rate = isLst(symbol) ? lstRate(market, symbol) : 1;
      const price = priceSc(market, isLst(symbol) ? 'ETH' : symbol, shareClass);
      const deltaUnits = amount * rate;
      return {
        deltaUnits,
        index: 1,
        rate,
        price,
        value: deltaUnits * price,
        notional: 0,
        kind: 'asset',
      };
    }
  }
}
