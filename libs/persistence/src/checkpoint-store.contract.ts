import type { CheckpointStore, StageCheckpoint } from '@tightloop/core';

export interface CheckpointStoreHandle {
  store: CheckpointStore<unknown>;
  close: () => Promise<void>;
}

const cp = (runId: string, tickIndex: number, seq: number, state: unknown) => ({
  runId,
  tickIndex,
  seq,
  state,
});
const keys = (cps: StageCheckpoint<unknown>[]) => cps.map((c) => [c.tickIndex, c.seq]);

/** The 64 bits of a double, so "equal" below means bit-identical, not just ===. */
function bits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16);
}

/** A stage state of realistic shape and size (a position monitor's, roughly 1 kB). */
function monitorState(tick: number) {
  const positions: Record<string, { size: number; entryPrice: number; funding: number }> = {};
  for (let i = 0; i < 8; i += 1) {
    positions[`binance:Perp:SYM${i}USDT`] = {
      size: i * 0.5 + tick / 3,
      entryPrice: 60_000.12 + i * 0.01,
      funding: tick * 1e-6,
    };
  }
  return { tick, cash: 1_000_000 + tick * 0.1, positions };
}

/**
 * The contract every CheckpointStore passes (in-memory, PGlite, Postgres). `makeStore`
 * returns an empty store for each test; `close` releases it.
 */
export function describeCheckpointStoreContract(
  name: string,
  makeStore: () => Promise<CheckpointStoreHandle>,
) {
  describe(`CheckpointStore contract: ${name}`, () => {
    let handle: CheckpointStoreHandle;
    let store: CheckpointStore<unknown>;
    beforeEach(async () => {
      handle = await makeStore();
      store = handle.store;
    });
    afterEach(async () => {
      await handle.close();
    });

    it('has nothing for a run never saved', async () => {
      expect(await store.latest('r1')).toBeNull();
      expect(await store.since('r1', 0, 0)).toEqual([]);
      await store.saveBatch([]);
      expect(await store.latest('r1')).toBeNull();
    });

    it('returns the highest (tick, seq) of a batch saved out of order as latest', async () => {
      await store.saveBatch([cp('r1', 2, 0, 'a'), cp('r1', 1, 3, 'b'), cp('r1', 2, 1, 'c')]);
      await store.saveBatch([cp('r1', 0, 9, 'd')]);
      expect(await store.latest('r1')).toEqual(cp('r1', 2, 1, 'c'));
    });

    it('ignores a duplicate (run, tick, seq) and keeps the first state', async () => {
      await store.saveBatch([cp('r1', 1, 0, { v: 'first' })]);
      await store.saveBatch([cp('r1', 1, 0, { v: 'second' }), cp('r1', 2, 0, { v: 'next' })]);
      await store.saveBatch([cp('r1', 3, 0, { v: 'x' }), cp('r1', 3, 0, { v: 'y' })]);
      const all = await store.since('r1', 0, 0);
      expect(all.map((c) => c.state)).toEqual([{ v: 'first' }, { v: 'next' }, { v: 'x' }]);
    });

    it('keeps runs apart', async () => {
      await store.saveBatch([cp('a', 5, 0, 'a5'), cp('b', 1, 0, 'b1'), cp('a', 6, 0, 'a6')]);
      expect(await store.latest('a')).toEqual(cp('a', 6, 0, 'a6'));
      expect(await store.latest('b')).toEqual(cp('b', 1, 0, 'b1'));
      expect(keys(await store.since('b', 0, 0))).toEqual([[1, 0]]);
      expect(await store.latest('c')).toBeNull();
    });

    it("forgets one run's checkpoints, all of them, and no other run's", async () => {
      await store.saveBatch([cp('a', 1, 0, 'a1'), cp('a', 2, 3, 'a2'), cp('b', 1, 0, 'b1')]);
      expect(await store.forget('a')).toBe(2);
      expect(await store.latest('a')).toBeNull();
      expect(await store.since('a', 0, 0)).toEqual([]);
      expect(await store.latest('b')).toEqual(cp('b', 1, 0, 'b1'));
      expect(await store.forget('a')).toBe(0);
    });

    it('returns the tail from (tick, seq) inclusive, in order', async () => {
      const batch = [];
      for (const tick of [3, 0, 2, 1])
        for (const seq of [2, 0, 1]) batch.push(cp('r', tick, seq, tick));
      await store.saveBatch(batch);
      expect(keys(await store.since('r', 1, 2))).toEqual([
        [1, 2],
        [2, 0],
        [2, 1],
        [2, 2],
        [3, 0],
        [3, 1],
        [3, 2],
      ]);
      expect(keys(await store.since('r', 2, 5))).toEqual([
        [3, 0],
        [3, 1],
        [3, 2],
      ]);
      expect(await store.since('r', 4, 0)).toEqual([]);
    });

    it('round-trips numbers bit for bit, and any JSON value as state', async () => {
      const numbers = [
        0.1 + 0.2,
        1e-300,
        5e-324,
        Number.MAX_VALUE,
        -123.456e-200,
        2 ** 53 + 2,
        1 / 3,
      ];
      const state = {
        numbers,
        nested: { x: [0.1, { y: 7e-310 }] },
        text: 'é "q" \\ \n',
        none: null,
      };
      await store.saveBatch([cp('r', 0, 0, state), cp('r', 1, 0, 42), cp('r', 2, 0, [null, 'x'])]);
      const [first, second, third] = await store.since('r', 0, 0);
      const back = first!.state as typeof state;
      expect(back).toEqual(state);
      expect(back.numbers.map(bits)).toEqual(numbers.map(bits));
      expect(bits((back.nested.x[1] as { y: number }).y)).toBe(bits(7e-310));
      expect(second!.state).toBe(42);
      expect(third!.state).toEqual([null, 'x']);
    });

    it('stores a copy: mutating what was saved or read changes nothing stored', async () => {
      const state = { n: 1, list: [1] };
      await store.saveBatch([cp('r', 0, 0, state)]);
      state.n = 2;
      state.list.push(2);
      const read = (await store.latest('r'))!.state as typeof state;
      read.list.push(3);
      expect((await store.latest('r'))!.state).toEqual({ n: 1, list: [1] });
    });

    it('refuses a batch with a bad key, saving none of it', async () => {
      await expect(store.saveBatch([cp('r', 0, 0, 'ok'), cp('r', 1.5, 0, 'bad')])).rejects.toThrow(
        /tickIndex must be an integer/,
      );
      await expect(store.saveBatch([cp('r', 0, -1, 'bad')])).rejects.toThrow(/seq/);
      expect(await store.latest('r')).toBeNull();
    });

    it('saves a year of hourly checkpoints (8,760) in batches of 1,000', async () => {
      const started = performance.now();
      for (let from = 0; from < 8_760; from += 1_000) {
        const batch = [];
        for (let t = from; t < Math.min(from + 1_000, 8_760); t += 1) {
          batch.push(cp('year', t, 0, monitorState(t)));
        }
        await store.saveBatch(batch);
      }
      const ms = performance.now() - started;
      console.info(`${name}: saved 8,760 checkpoints in batches of 1,000 in ${ms.toFixed(0)} ms`);
      expect(await store.latest('year')).toEqual(cp('year', 8_759, 0, monitorState(8_759)));
      const all = await store.since('year', 0, 0);
      expect(all).toHaveLength(8_760);
      expect(all.every((c, i) => c.tickIndex === i)).toBe(true);
    });
  });
}
