import type { Fill } from '@tightloop/contracts';
import type { CheckpointStore, StageCheckpoint } from '@tightloop/core';
import { InMemoryCheckpointStore } from '@tightloop/persistence';
import { ExecutionLedger } from './execution.ledger';

const fills = (id: string) =>
  [{ instructionId: id, status: 'filled', deltas: [] }] as unknown as Fill[];

/** A store that counts its batches and can be told to fail. */
class CountingStore implements CheckpointStore<Fill[]> {
  readonly inner = new InMemoryCheckpointStore<Fill[]>();
  batches: number[] = [];
  fail = false;
  latest(runId: string) {
    return this.inner.latest(runId);
  }
  since(runId: string, tickIndex: number, seq: number) {
    return this.inner.since(runId, tickIndex, seq);
  }
  forget(runId: string) {
    return this.inner.forget(runId);
  }
  async saveBatch(batch: readonly StageCheckpoint<Fill[]>[]) {
    if (this.fail) throw new Error('connection lost');
    this.batches.push(batch.length);
    await this.inner.saveBatch(batch);
  }
}

describe('execution ledger', () => {
  it('answers a unit executed before, from memory and, after a restart, from the store', async () => {
    const store = new CountingStore();
    const ledger = new ExecutionLedger(store, 64, 10_000);
    ledger.record('r', 3, 5, fills('a'));
    expect(await ledger.find('r', 3, 5)).toEqual(fills('a'));
    expect(await ledger.find('r', 3, 6)).toBeUndefined();
    await ledger.flush();

    const restarted = new ExecutionLedger(store);
    expect(await restarted.find('r', 3, 5)).toEqual(fills('a'));
    expect(await restarted.find('r', 3, 4)).toBeUndefined();
    expect(await restarted.find('other', 3, 5)).toBeUndefined();
  });

  it('writes in batches: when one is full, or after the delay, never a write per unit', async () => {
    const store = new CountingStore();
    const ledger = new ExecutionLedger(store, 3, 50);
    for (let seq = 0; seq < 7; seq++) ledger.record('r', 0, seq, fills(`u${seq}`));
    await new Promise((r) => setTimeout(r, 120));
    expect(store.batches).toEqual([3, 3, 1]);
  });

  it('fails the next unit, and the shutdown, once a batch could not be stored', async () => {
    const store = new CountingStore();
    store.fail = true;
    const ledger = new ExecutionLedger(store, 1, 10_000);
    ledger.record('r', 0, 0, fills('a'));
    await expect(ledger.flush()).rejects.toThrow(
      'execution ledger: 1 unit(s) could not be stored: connection lost',
    );
    expect(() => ledger.record('r', 0, 1, fills('b'))).toThrow('could not be stored');
  });
});
