import { deadLetterSubject, type Delivery, type MessageBus } from '@tightloop/core';

/** Resolves when `count` deliveries have arrived, or rejects after `ms`. */
function collector(count: number, ms = 10_000) {
  const got: Delivery[] = [];
  let done!: () => void;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out with ${got.length} of ${count} deliveries`)),
      ms,
    );
    done = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return {
    got,
    ready,
    push(d: Delivery) {
      got.push(d);
      if (got.length >= count) done();
    },
  };
}

/**
 * The contract every MessageBus implementation passes (in-memory and NATS JetStream).
 * `makeBus` returns a bus isolated from other tests (a fresh stream, say) and `prefix` a
 * unique subject prefix under `tightloop.` for this run of the suite.
 */
export function describeMessageBusContract(
  name: string,
  makeBus: () => Promise<{ bus: MessageBus; prefix: string }>,
) {
  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus;
    let prefix: string;
    beforeEach(async () => {
      ({ bus, prefix } = await makeBus());
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers in publish order with headers and an intact payload', async () => {
      const c = collector(3);
      await bus.consume(`${prefix}.run.*.positions`, 'exposure', async (d) => c.push(d));
      for (const seq of [1, 2, 3]) {
        await bus.publish(
          `${prefix}.run.r1.positions`,
          { seq, x: 0.1 + 0.2, tiny: 1e-300 },
          { traceparent: `t${seq}` },
        );
      }
      await c.ready;
      expect(c.got.map((d) => (d.payload as { seq: number }).seq)).toEqual([1, 2, 3]);
      expect(c.got[0]!.payload).toEqual({ seq: 1, x: 0.1 + 0.2, tiny: 1e-300 });
      expect(c.got[0]!.headers.traceparent).toBe('t1');
      expect(c.got[0]!.attempt).toBe(1);
    });

    it('shares a queue among its members (each message once) and copies it to every queue', async () => {
      const shared = collector(4);
      const other = collector(4);
      await bus.consume(`${prefix}.run.*.risk`, 'pnl', async (d) => shared.push(d));
      await bus.consume(`${prefix}.run.*.risk`, 'pnl', async (d) => shared.push(d));
      await bus.consume(`${prefix}.run.*.risk`, 'audit', async (d) => other.push(d));
      for (const run of ['a', 'b', 'c', 'd'])
        await bus.publish(`${prefix}.run.${run}.risk`, { run });
      await Promise.all([shared.ready, other.ready]);
      expect(shared.got.map((d) => (d.payload as { run: string }).run).sort()).toEqual([
        'a',
        'b',
        'c',
        'd',
      ]);
      expect(other.got).toHaveLength(4);
    });

    it('redelivers after a failed handler, then dead-letters with the error', async () => {
      const attempts: number[] = [];
      const dead = collector(1);
      await bus.consume(deadLetterSubject(`${prefix}.run.*.decision`), 'dlq', async (d) =>
        dead.push(d),
      );
      await bus.consume(
        `${prefix}.run.*.decision`,
        'execution',
        async (d) => {
          attempts.push(d.attempt);
          throw new Error('payload failed its schema');
        },
        { maxAttempts: 3 },
      );
      await bus.publish(`${prefix}.run.r9.decision`, { units: 'nonsense' });
      await dead.ready;
      expect(attempts).toEqual([1, 2, 3]);
      expect(dead.got[0]!.payload).toMatchObject({
        subject: `${prefix}.run.r9.decision`,
        attempts: 3,
        error: 'payload failed its schema',
      });
    });

    it('keeps what is published while a queue has no member; a new queue starts from now', async () => {
      const subject = `${prefix}.run.r2.execute`;
      const first = collector(1);
      const member = await bus.consume(`${prefix}.run.*.execute`, 'execution', async (d) =>
        first.push(d),
      );
      await bus.publish(subject, { n: 1 });
      await first.ready;
      await member.stop();
      // Published while the service is down: kept for its queue, not for a queue made later.
      await bus.publish(subject, { n: 2 });
      const again = collector(1);
      const late = collector(1, 1_500);
      await bus.consume(`${prefix}.run.*.execute`, 'execution', async (d) => again.push(d));
      await bus.consume(`${prefix}.run.*.execute`, 'late', async (d) => late.push(d));
      await again.ready;
      expect(again.got.map((d) => d.payload)).toEqual([{ n: 2 }]);
      await expect(late.ready).rejects.toThrow('timed out with 0 of 1');
    });

    it('recovers when a handler fails once (at-least-once delivery)', async () => {
      const c = collector(2);
      let failed = false;
      await bus.consume(`${prefix}.run.*.pnl`, 'strategy', async (d) => {
        if (!failed) {
          failed = true;
          throw new Error('transient');
        }
        c.push(d);
      });
      await bus.publish(`${prefix}.run.r1.pnl`, { n: 1 });
      await bus.publish(`${prefix}.run.r1.pnl`, { n: 2 });
      await c.ready;
      expect(c.got.map((d) => (d.payload as { n: number }).n).sort()).toEqual([1, 2]);
      expect(c.got.some((d) => d.attempt === 2)).toBe(true);
    });
  });
}
