import {
  positionKey,
  type ExecutionUnit,
  type Fill,
  type GasOperation,
  type Instruction,
  type MarketSnapshot,
  type PositionDelta,
  type PositionKey,
} from '@tightloop/contracts';
import { LoopInvariantError } from '../errors';
import { amountOf, applyDeltas, realisedPerpPnlUsd, type PositionState } from '../positions/position-state';
import { borrowIndex, supplyIndex } from '../valuation/valuation';
import type { CostModel } from './cost.model';

interface Priced {
  deltas: PositionDelta[];
  priceUsd?: number;
  feeUsd: number;
  slippageUsd: number;
  gas?: GasOperation;
}

/**
 * Pure venue mechanics: what an instruction does to positions at the market of the
 * instant. With `slippage: false` it is the projection the loop checks risk against and
 * reconciles with; with `slippage: true` it is the simulated venue of a backtest.
 */
export class ExecutionModel {
  constructor(
    private readonly costs: CostModel,
    private readonly withSlippage: boolean,
  ) {}

  /** Fills a unit against `state`; an atomic group fills whole or is rejected whole. */
  fillUnit(unit: ExecutionUnit, state: PositionState, market: MarketSnapshot): Fill[] {
    if (unit.kind === 'single') return [this.fill(unit.instruction, state, market)];
    const fills: Fill[] = [];
    let scratch = state;
    for (const instruction of unit.instructions) {
      const fill = this.fill(instruction, scratch, market);
      if (fill.status === 'rejected') {
        return unit.instructions.map((i) =>
          i.id === instruction.id
            ? fill
            : rejected(i, 'EXEC.ATOMIC_ROLLBACK', `atomic group ${unit.groupId} rolled back: ${fill.errorMessage}`),
        );
      }
      scratch = applyDeltas(scratch, fill.deltas);
      fills.push(fill);
    }
    return fills;
  }

  fill(instruction: Instruction, state: PositionState, market: MarketSnapshot): Fill {
    const priced = this.price(instruction, state, market);
    const gas = priced.gas ? this.costs.gas(priced.gas, market) : { units: 0, eth: 0, usd: 0 };
    const deltas = gas.units > 0 ? [...priced.deltas, gasPayment(state, gas.eth, gas.usd)] : priced.deltas;
    const fill: Fill = {
      instructionId: instruction.id,
      status: 'filled',
      deltas,
      feeUsd: priced.feeUsd,
      slippageUsd: priced.slippageUsd,
      gasUnits: gas.units,
      gasEth: gas.eth,
      gasUsd: gas.usd,
      ...(priced.priceUsd !== undefined ? { priceUsd: priced.priceUsd } : {}),
    };
    try {
      applyDeltas(state, deltas);
    } catch (error) {
      if (error instanceof LoopInvariantError && error.code === 'POS.NEGATIVE_BALANCE') {
        return rejected(instruction, 'EXEC.INSUFFICIENT_BALANCE', error.message);
      }
      throw error;
    }
    return fill;
  }

  private price(i: Instruction, state: PositionState, market: MarketSnapshot): Priced {
    switch (i.operation) {
      case 'transfer': {
        if (!i.toVenue) throw new LoopInvariantError('EXEC.BAD_INSTRUCTION', `transfer ${i.id} has no toVenue`);
        return {
          deltas: [
            { key: positionKey(i.venue, 'BaseToken', i.asset), amount: -i.amount },
            { key: positionKey(i.toVenue, 'BaseToken', i.asset), amount: i.amount },
          ],
          feeUsd: 0,
          slippageUsd: 0,
          gas: 'VENUE_TRANSFER',
        };
      }
      case 'spot_trade':
        return this.spotTrade(i, market);
      case 'perp_trade':
        return this.perpTrade(i, state, market);
      case 'supply':
      case 'withdraw':
      case 'borrow':
      case 'repay':
        return aaveAction(i, market);
      default:
        throw new LoopInvariantError('EXEC.UNSUPPORTED', `operation ${i.operation} is not simulated yet (${i.id})`);
    }
  }

  private spotTrade(i: Instruction, market: MarketSnapshot): Priced {
    const quote = market.spotUsd[`${i.venue}:${i.asset}`];
    if (quote === undefined) {
      throw new LoopInvariantError('MKT.MISSING', `no spot price for ${i.venue}:${i.asset} (${i.id})`);
    }
    const sign = sideSign(i);
    const slip = this.withSlippage ? this.costs.spotSlippage() : 0;
    const price = quote * (1 + sign * slip);
    const notional = i.amount * price;
    const fee = notional * this.costs.takerFeeRate(i.venue);
    return {
      deltas: [
        { key: positionKey(i.venue, 'BaseToken', i.asset), amount: sign * i.amount },
        { key: positionKey(i.venue, 'BaseToken', 'USDT'), amount: -sign * notional - fee },
      ],
      priceUsd: price,
      feeUsd: fee,
      slippageUsd: i.amount * Math.abs(price - quote),
    };
  }

  private perpTrade(i: Instruction, state: PositionState, market: MarketSnapshot): Priced {
    const mark = market.perpMarkUsd[`${i.venue}:${i.asset}`];
    if (mark === undefined) {
      throw new LoopInvariantError('MKT.MISSING', `no perp mark for ${i.venue}:${i.asset} (${i.id})`);
    }
    const sign = sideSign(i);
    const slip = this.withSlippage ? this.costs.perpSlippage(i.amount * mark) : 0;
    const price = mark * (1 + sign * slip);
    const key: PositionKey = positionKey(i.venue, 'Perp', `${i.asset}USDT`);
    const realised = realisedPerpPnlUsd(state, key, sign * i.amount, price);
    const fee = i.amount * price * this.costs.takerFeeRate(i.venue);
    return {
      deltas: [
        { key, amount: sign * i.amount, priceUsd: price },
        { key: positionKey(i.venue, 'BaseToken', 'USDT'), amount: realised - fee },
      ],
      priceUsd: price,
      feeUsd: fee,
      slippageUsd: i.amount * Math.abs(price - mark),
    };
  }
}

function sideSign(i: Instruction): 1 | -1 {
  if (i.side === 'buy') return 1;
  if (i.side === 'sell') return -1;
  throw new LoopInvariantError('EXEC.BAD_INSTRUCTION', `${i.operation} ${i.id} has no side`);
}

/** AAVE moves underlying between the wallet and scaled a/debt balances at the current index. */
function aaveAction(i: Instruction, market: MarketSnapshot): Priced {
  const wallet = positionKey('wallet', 'BaseToken', i.asset);
  const supplyScaled = i.amount / supplyIndex(market, i.asset);
  const aToken = positionKey('aave_v3', 'aToken', `a${i.asset}`);
  const debt = positionKey('aave_v3', 'debtToken', `debt${i.asset}`);
  const base = { feeUsd: 0, slippageUsd: 0 };
  switch (i.operation) {
    case 'supply':
      return { ...base, gas: 'COLLATERAL_SUPPLIED', deltas: [{ key: wallet, amount: -i.amount }, { key: aToken, amount: supplyScaled }] };
    case 'withdraw':
      return { ...base, gas: 'COLLATERAL_WITHDRAWN', deltas: [{ key: aToken, amount: -supplyScaled }, { key: wallet, amount: i.amount }] };
    case 'borrow': {
      const scaled = i.amount / borrowIndex(market, i.asset);
      return { ...base, gas: 'LOAN_CREATED', deltas: [{ key: debt, amount: scaled }, { key: wallet, amount: i.amount }] };
    }
    default: {
      const scaled = i.amount / borrowIndex(market, i.asset);
      return { ...base, gas: 'LOAN_REPAID', deltas: [{ key: wallet, amount: -i.amount }, { key: debt, amount: -scaled }] };
    }
  }
}

/**
 * Gas is paid in ETH from the wallet when it holds enough; a wallet without ETH (a USDT
 * share class) pays the USD equivalent from its USDT, as a relayer would charge it.
 */
function gasPayment(state: PositionState, eth: number, usd: number): PositionDelta {
  const walletEth: PositionKey = 'wallet:BaseToken:ETH';
  if (state.amounts[walletEth] !== undefined && amountOf(state, walletEth) >= eth) {
    return { key: walletEth, amount: -eth };
  }
  return { key: 'wallet:BaseToken:USDT', amount: -usd };
}

function rejected(i: Instruction, errorCode: string, errorMessage: string): Fill {
  return {
    instructionId: i.id,
    status: 'rejected',
    deltas: [],
    feeUsd: 0,
    slippageUsd: 0,
    gasUnits: 0,
    gasEth: 0,
    gasUsd: 0,
    errorCode,
    errorMessage,
  };
}
