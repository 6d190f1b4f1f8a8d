import { parsePositionKey, type PositionDelta, type PositionKey } from '@tightloop/contracts';
import { LoopInvariantError } from '../errors';

export interface PerpMeta {
  /** Size-weighted entry price of the open position. */
  entryPriceUsd: number;
  /** Funding received (+) or paid (-) since the position was opened. */
  fundingAccruedUsd: number;
}

/**
 * Raw balances per instrument key: token units for BaseToken/LST, scaled units for
 * aToken/debtToken (multiply by the reserve index for underlying), signed base-asset
 * size for Perp. Immutable: every change returns a new state.
 */
export interface PositionState {
  readonly amounts: Readonly<Record<PositionKey, number>>;
  readonly perps: Readonly<Record<PositionKey, PerpMeta>>;
}

const BALANCE_EPSILON = 1e-9;

export function emptyPositions(subscriptions: readonly PositionKey[]): PositionState {
  const amounts: Record<PositionKey, number> = {};
  for (const key of subscriptions) amounts[key] = 0;
  return { amounts, perps: {} };
}

export function amountOf(state: PositionState, key: PositionKey): number {
  return state.amounts[key] ?? 0;
}

/**
 * Applies deltas in order. Fails on a key the strategy did not subscribe to, and on a
 * token balance driven below zero: both mean the plan or the venue is wrong.
 */
export function applyDeltas(state: PositionState, deltas: readonly PositionDelta[]): PositionState {
  if (deltas.length === 0) return state;
  const amounts = { ...state.amounts };
  let perps = state.perps;
  for (const delta of deltas) {
    const current = amounts[delta.key];
    if (current === undefined) {
      throw new LoopInvariantError(
        'POS.UNDECLARED_KEY',
        `delta to ${delta.key}, which is not among the strategy's position subscriptions`,
      );
    }
    const next = current + delta.amount;
    if (parsePositionKey(delta.key).positionType === 'Perp') {
      perps = nextPerpMeta(perps, delta, current, next);
    } else if (next < -BALANCE_EPSILON * Math.max(1, Math.abs(current))) {
      throw new LoopInvariantError(
        'POS.NEGATIVE_BALANCE',
        `${delta.key} would go from ${current} to ${next}`,
      );
    }
    amounts[delta.key] = Math.abs(next) < BALANCE_EPSILON ? 0 : next;
  }
  return { amounts, perps };
}

function nextPerpMeta(
  perps: Readonly<Record<PositionKey, PerpMeta>>,
  delta: PositionDelta,
  sizeBefore: number,
  sizeAfter: number,
): Readonly<Record<PositionKey, PerpMeta>> {
  const out = { ...perps };
  const meta = perps[delta.key];
  if (Math.abs(sizeAfter) < BALANCE_EPSILON) {
    delete out[delta.key];
    return out;
  }
  if (delta.priceUsd === undefined) {
    throw new LoopInvariantError(
      'POS.PERP_WITHOUT_PRICE',
      `perp delta on ${delta.key} has no fill price`,
    );
  }
  const increasing = sizeBefore === 0 || Math.sign(sizeBefore) === Math.sign(delta.amount);
  if (increasing) {
    const entry = meta
      ? (Math.abs(sizeBefore) * meta.entryPriceUsd + Math.abs(delta.amount) * delta.priceUsd) /
        Math.abs(sizeAfter)
      : delta.priceUsd;
    out[delta.key] = { entryPriceUsd: entry, fundingAccruedUsd: meta?.fundingAccruedUsd ?? 0 };
  } else if (Math.sign(sizeAfter) !== Math.sign(sizeBefore)) {
    // Flipped through zero: the remainder is a new position at the fill price.
    out[delta.key] = { entryPriceUsd: delta.priceUsd, fundingAccruedUsd: 0 };
  }
  return out;
}

/** Funding accrued on a perp is bookkeeping next to its size; the cash sits in USDT. */
export function addFundingAccrued(
  state: PositionState,
  key: PositionKey,
  usd: number,
): PositionState {
  const meta = state.perps[key];
  if (!meta) return state;
  return {
    amounts: state.amounts,
    perps: { ...state.perps, [key]: { ...meta, fundingAccruedUsd: meta.fundingAccruedUsd + usd } },
  };
}

/** PnL realised by a perp trade of `sizeDelta` at `priceUsd` against the open position. */
export function realisedPerpPnlUsd(
  state: PositionState,
  key: PositionKey,
  sizeDelta: number,
  priceUsd: number,
): number {
  const size = amountOf(state, key);
  const meta = state.perps[key];
  if (!meta || size === 0 || Math.sign(size) === Math.sign(sizeDelta)) return 0;
  const closed = Math.min(Math.abs(size), Math.abs(sizeDelta));
  return Math.sign(size) * closed * (priceUsd - meta.entryPriceUsd);
}
