import {
  CEX_VENUES,
  positionKey,
  type ExecutionUnit,
  type Fill,
  type GasOperation,
  type Instruction,
  type MarketSnapshot,
  type PositionDelta,
  type PositionKey,
} from '@tightloop/contracts';
import { priceUsd } from '../valuation/valuation';
import { LoopInvariantError } from '../errors';
import { amountOf, applyDeltas, type PositionState } from '../positions/position-state';
import { perpTrade, spotTrade } from './cex.venue';
import type { CostModel } from './cost.model';
import { aave, flash, stake, swap, transfer } from './onchain.venue';
import type { Priced } from './priced';

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

  /**
   * Fills a unit against `state`. An atomic group fills whole or is rejected whole; it
   * pays one transaction's gas, and every flash loan in it must be repaid within it.
   */
  fillUnit(unit: ExecutionUnit, state: PositionState, market: MarketSnapshot): Fill[] {
    if (unit.kind === 'single') return [this.fill(unit.instruction, state, market, true)];
    const fills: Fill[] = [];
    let scratch = state;
    const fail = (failed: Instruction, code: string, message: string) =>
      unit.instructions.map((i) =>
        rejected(
          i,
          i.id === failed.id ? code : 'EXEC.ATOMIC_ROLLBACK',
          i.id === failed.id ? message : `atomic group ${unit.groupId} rolled back: ${message}`,
        ),
      );
    for (const instruction of unit.instructions) {
      const fill = this.fill(instruction, scratch, market, false);
      if (fill.status === 'rejected')
        return fail(instruction, fill.errorCode ?? 'EXEC.REJECTED', fill.errorMessage ?? '');
      scratch = applyDeltas(scratch, fill.deltas);
      fills.push(fill);
    }
    const unpaid = unrepaidFlash(unit.instructions);
    if (unpaid) return fail(unit.instructions[0]!, 'EXEC.FLASH_NOT_REPAID', unpaid);
    const gasOp: GasOperation = unit.instructions.some((i) => i.operation === 'swap')
      ? 'ATOMIC_DELEVERAGE_ONE_SWAP'
      : 'ATOMIC_ENTRY';
    const gas = this.costs.gas(gasOp, market);
    const last = fills[fills.length - 1]!;
    const withGas: Fill = {
      ...last,
      deltas: [...last.deltas, gasPayment(scratch, gas.eth, gas.usd)],
      gasUnits: gas.units,
      gasEth: gas.eth,
      gasUsd: gas.usd,
    };
    try {
      applyDeltas(scratch, withGas.deltas.slice(last.deltas.length));
    } catch (error) {
      return fail(
        unit.instructions[0]!,
        'EXEC.INSUFFICIENT_BALANCE',
        `cannot pay gas: ${(error as Error).message}`,
      );
    }
    return [...fills.slice(0, -1), withGas];
  }

  /** One instruction; `payGas` false inside an atomic group, which pays once for all. */
  fill(
    instruction: Instruction,
    state: PositionState,
    market: MarketSnapshot,
    payGas = true,
  ): Fill {
    if (
      payGas &&
      (instruction.operation === 'flash_borrow' || instruction.operation === 'flash_repay')
    ) {
      return rejected(
        instruction,
        'EXEC.FLASH_OUTSIDE_ATOMIC',
        `${instruction.id}: a flash loan must be inside an atomic group`,
      );
    }
    const priced = this.price(instruction, state, market);
    const gas =
      payGas && priced.gas ? this.costs.gas(priced.gas, market) : { units: 0, eth: 0, usd: 0 };
    const payment =
      withdrawalFee(instruction, market, gas.usd) ?? gasPayment(state, gas.eth, gas.usd);
    const deltas = gas.units > 0 ? [...priced.deltas, payment] : priced.deltas;
    try {
      applyDeltas(state, deltas);
    } catch (error) {
      if (error instanceof LoopInvariantError && error.code === 'POS.NEGATIVE_BALANCE') {
        return rejected(instruction, 'EXEC.INSUFFICIENT_BALANCE', error.message);
      }
      throw error;
    }
    return {
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
  }

  private price(i: Instruction, state: PositionState, market: MarketSnapshot): Priced {
    switch (i.operation) {
      case 'transfer':
        return transfer(i);
      case 'spot_trade':
        return spotTrade(i, market, this.costs, this.withSlippage);
      case 'perp_trade':
        return perpTrade(i, state, market, this.costs, this.withSlippage);
      case 'supply':
      case 'withdraw':
      case 'borrow':
      case 'repay':
        return aave(i, market);
      case 'stake':
        return stake(i, market);
      case 'swap':
        return swap(i, market, this.costs);
      case 'flash_borrow':
      case 'flash_repay':
        return flash(i, market, this.costs);
      default:
        throw new LoopInvariantError(
          'EXEC.UNSUPPORTED',
          `operation ${i.operation} is not simulated (${i.id})`,
        );
    }
  }
}

/** A message when the group's flash borrows (plus fee) are not all repaid, else null. */
function unrepaidFlash(instructions: readonly Instruction[]): string | null {
  const owed = new Map<string, number>();
  for (const i of instructions) {
    const key = `${i.account ?? 'wallet'}:${i.asset}`;
    if (i.operation === 'flash_borrow') owed.set(key, (owed.get(key) ?? 0) + i.amount);
    // A repay instruction's amount is the principal; its fee is charged on top.
    if (i.operation === 'flash_repay') owed.set(key, (owed.get(key) ?? 0) - i.amount);
  }
  for (const [key, left] of owed) {
    if (Math.abs(left) > 1e-9 * Math.max(1, Math.abs(left)))
      return `flash loan of ${key} not repaid (${left} outstanding)`;
  }
  return null;
}

/**
 * A CEX pays the chain fee of a withdrawal itself and charges it, in the withdrawn asset,
 * to the account it leaves; the wallet pays gas only for what it sends.
 */
function withdrawalFee(i: Instruction, market: MarketSnapshot, usd: number): PositionDelta | null {
  if (i.operation !== 'transfer' || !(CEX_VENUES as readonly string[]).includes(i.venue))
    return null;
  return {
    key: positionKey(i.venue, 'BaseToken', i.asset),
    amount: -usd / priceUsd(market, i.asset),
  };
}

/**
 * Gas is paid in ETH from the wallet when it holds enough; a wallet without ETH (a USDT
 * share class) pays the USD equivalent from its USDT, as a relayer would charge it.
 */
function gasPayment(state: PositionState, eth: number, usd: number): PositionDelta {
  const walletEth: PositionKey = 'wallet:BaseToken:ETH';
  const walletUsdt: PositionKey = 'wallet:BaseToken:USDT';
  const holdsUsdt = state.amounts[walletUsdt] !== undefined;
  if (!holdsUsdt || amountOf(state, walletEth) >= eth) return { key: walletEth, amount: -eth };
  return { key: walletUsdt, amount: -usd };
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
