import type { ExecutionUnit, Instruction } from '@tightloop/contracts';
import { applyDeltas, emptyPositions } from '../positions/position-state';
import { defaultCosts, freeCosts, market } from '../testing/market.fixture';
import { ExecutionModel } from './execution.model';
import { reconcile } from './reconciliation';

const base = { intent: 'entry_full', reason: 'test' } as const;
const instr = (id: string, fields: Omit<Instruction, 'id' | 'intent' | 'reason'>): Instruction => ({
  id,
  ...base,
  ...fields,
});

describe('execution model', () => {
  const keys = [
    'wallet:BaseToken:USDT',
    'aave_v3:aToken:aUSDT',
    'aave_v3:debtToken:debtUSDT',
  ] as const;
  const funded = applyDeltas(emptyPositions([...keys]), [
    { key: 'wallet:BaseToken:USDT', amount: 1_000 },
  ]);

  it('supplies into scaled units at the current index and pays gas from the wallet', () => {
    const model = new ExecutionModel(defaultCosts(), true);
    const fill = model.fill(
      instr('s', { operation: 'supply', venue: 'aave_v3', asset: 'USDT', amount: 500 }),
      funded,
      market(),
    );
    expect(fill.status).toBe('filled');
    const after = applyDeltas(funded, fill.deltas);
    expect(after.amounts['aave_v3:aToken:aUSDT']).toBeCloseTo(500 / 1.05, 12);
    // 250k gas x 10 gwei = 0.0025 ETH at 3000 USD.
    expect(fill.gasUsd).toBeCloseTo(7.5, 9);
    expect(after.amounts['wallet:BaseToken:USDT']).toBeCloseTo(500 - 7.5, 9);
  });

  it('rejects, not throws, an instruction the balances cannot pay for', () => {
    const model = new ExecutionModel(freeCosts(), true);
    const fill = model.fill(
      instr('x', { operation: 'supply', venue: 'aave_v3', asset: 'USDT', amount: 2_000 }),
      funded,
      market(),
    );
    expect(fill).toMatchObject({
      status: 'rejected',
      errorCode: 'EXEC.INSUFFICIENT_BALANCE',
      deltas: [],
    });
  });

  it('applies an atomic group all or nothing: a failing step rolls back the earlier ones', () => {
    const model = new ExecutionModel(freeCosts(), true);
    const unit: ExecutionUnit = {
      kind: 'atomic',
      groupId: 'g1',
      instructions: [
        instr('1', { operation: 'supply', venue: 'aave_v3', asset: 'USDT', amount: 1_000 }),
        instr('2', { operation: 'repay', venue: 'aave_v3', asset: 'USDT', amount: 10 }),
      ],
    };
    const fills = model.fillUnit(unit, funded, market());
    expect(fills.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(fills[0]!.errorCode).toBe('EXEC.ATOMIC_ROLLBACK');
    expect(fills.flatMap((f) => f.deltas)).toEqual([]);
  });

  it('reconciliation flags a key that moved differently from the projection', () => {
    const expected = applyDeltas(funded, [{ key: 'wallet:BaseToken:USDT', amount: -100 }]);
    const actual = applyDeltas(funded, [{ key: 'wallet:BaseToken:USDT', amount: -90 }]);
    const tolerance = { relativeTolerance: 0.01, absoluteTolerance: 1e-9 };
    expect(reconcile(funded, expected, expected, tolerance).ok).toBe(true);
    const result = reconcile(funded, expected, actual, tolerance);
    expect(result.ok).toBe(false);
    expect(result.mismatches[0]).toMatchObject({
      key: 'wallet:BaseToken:USDT',
      expected: 900,
      actual: 910,
    });
  });
});
