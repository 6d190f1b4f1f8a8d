import { RunSlotQueue } from './run-slot.queue';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RunSlotQueue', () => {
  it('runs at most `slots` jobs at once, the rest in arrival order', async () => {
    const queue = new RunSlotQueue(2, () => undefined);
    const gates = [gate(), gate(), gate()];
    const started: string[] = [];
    gates.forEach((g, k) =>
      queue.enqueue(`r${k}`, async () => {
        started.push(`r${k}`);
        await g.opened;
      }),
    );
    await settle();
    expect(started).toEqual(['r0', 'r1']);
    expect(queue.counts).toEqual({ active: 2, waiting: 1 });
    gates[1]!.open();
    await settle();
    expect(started).toEqual(['r0', 'r1', 'r2']);
    gates[0]!.open();
    gates[2]!.open();
    await settle();
    expect(queue.counts).toEqual({ active: 0, waiting: 0 });
  });

  it('keeps going after a job throws, and reports what escaped', async () => {
    const escaped: string[] = [];
    const queue = new RunSlotQueue(1, (runId) => escaped.push(runId));
    const ran: string[] = [];
    queue.enqueue('bad', async () => {
      throw new Error('boom');
    });
    queue.enqueue('good', async () => {
      ran.push('good');
    });
    await settle();
    expect(escaped).toEqual(['bad']);
    expect(ran).toEqual(['good']);
  });

  it('on close, waits for running jobs and hands back those that never started', async () => {
    const queue = new RunSlotQueue(1, () => undefined);
    const running = gate();
    let finished = false;
    queue.enqueue('a', async () => {
      await running.opened;
      finished = true;
    });
    queue.enqueue('b', async () => undefined);
    await settle();
    const closing = queue.close();
    expect(queue.isClosed).toBe(true);
    expect(() => queue.enqueue('c', async () => undefined)).toThrow(/closed/);
    running.open();
    await expect(closing).resolves.toEqual(['b']);
    expect(finished).toBe(true);
  });

  it('refuses a slot count that is not a positive integer', () => {
    expect(() => new RunSlotQueue(0, () => undefined)).toThrow(/positive integer/);
  });
});
