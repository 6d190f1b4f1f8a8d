import { randomBytes } from 'node:crypto';
import { InMemoryBus } from './in-memory.bus';
import { describeMessageBusContract } from './message-bus.contract';
import { NatsJetStreamBus } from './nats-jetstream.bus';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describeMessageBusContract('in-memory', async () => ({
  bus: new InMemoryBus(),
  prefix: 'tightloop.test',
}));

// Real NATS with JetStream (the test command starts one when none runs). A unique subject
// prefix per test isolates it; its durable consumers are deleted when it closes.
describeMessageBusContract('NATS JetStream', async () => {
  const id = randomBytes(4).toString('hex');
  const bus = await NatsJetStreamBus.connect({
    servers: NATS_URL,
    ackWaitMs: 1_000,
    deleteConsumersOnClose: true,
  });
  return { bus, prefix: `tightloop.t${id}` };
});
