import { positionKey, type PositionKey, type Venue } from '@tightloop/contracts';
import { canonicalAsset, isLst } from '../valuation/valuation';

/** Where each LST is held once minted: its protocol's LST position. */
const LST_VENUE: Readonly<Record<string, Venue>> = {
  weETH: 'etherfi',
  eETH: 'etherfi',
  wstETH: 'lido',
  stETH: 'lido',
};

export function lstKey(lst: string): PositionKey {
  const venue = LST_VENUE[lst];
  if (!venue) throw new Error(`no staking venue known for LST ${lst}`);
  return positionKey(venue, 'LST', lst);
}

/** The position a token is drawn from or paid into: an LST's protocol position, else the account's balance. */
export function tokenKey(account: Venue, asset: string): PositionKey {
  return isLst(asset) ? lstKey(asset) : positionKey(account, 'BaseToken', asset);
}

/** AAVE reserves are named by their token; WETH and ETH share one delta asset. */
export function sameAsset(a: string, b: string): boolean {
  return canonicalAsset(a) === canonicalAsset(b);
}
