import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import {
  connect,
  headers as natsHeaders,
  nanos,
  type NatsConnection,
} from '@nats-io/transport-node';
import {
  deadLetterSubject,
  type ConsumeOptions,
  type Consumption,
  type Delivery,
  type MessageBus,
} from '@tightloop/core';
import { deadLetter } from './in-memory.bus';

export interface NatsBusOptions {
  servers: string;
  /** JetStream stream holding every `tightloop.>` subject. */
  stream?: string;
  /** How long a delivered message may stay unacknowledged before redelivery. */
  ackWaitMs?: number;
  /** Messages older than this are dropped from the stream (default one day). */
  maxAgeMs?: number;
  /** Delete the durable consumers this instance created when it closes (tests only). */
  deleteConsumersOnClose?: boolean;
  /**
   * How long a durable consumer may have no member before the server deletes it (default
   * one day): a queue whose service is gone for good does not stay on the server forever.
   */
  inactiveMs?: number;
  /** The connection's name as the server shows it. */
  name?: string;
}

/**
 * The distributed bus: JetStream streams and durable pull consumers. Replicas of a stage
 * share one durable consumer (the `queue` name), each taking one message at a time, so a
 * crashed replica's unacknowledged message goes to another after `ackWaitMs`.
 */
export class NatsJetStreamBus implements MessageBus {
  private readonly consumptions = new Set<Consumption>();
  private readonly durables = new Set<string>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly options: Omit<NatsBusOptions, 'servers' | 'name'>,
    private readonly ownsConnection: boolean,
  ) {}

  static async connect(options: NatsBusOptions): Promise<NatsJetStreamBus> {
    const nc = await connect({
      servers: options.servers,
      name: options.name ?? 'tightloop',
      maxReconnectAttempts: -1,
    });
    return NatsJetStreamBus.over(nc, options, true);
  }

  /**
   * A bus on a connection the caller already has; `close()` leaves the connection open
   * unless `owned`.
   */
  static async over(
    nc: NatsConnection,
    options: Omit<NatsBusOptions, 'servers' | 'name'> = {},
    owned = false,
  ): Promise<NatsJetStreamBus> {
    const jsm = await jetstreamManager(nc);
    const stream = options.stream ?? 'TIGHTLOOP';
    try {
      await jsm.streams.info(stream);
    } catch {
      await jsm.streams.add({
        name: stream,
        subjects: ['tightloop.>'],
        max_age: nanos(options.maxAgeMs ?? 86_400_000),
      });
    }
    return new NatsJetStreamBus(nc, jetstream(nc), jsm, stream, options, owned);
  }

  async publish(
    subject: string,
    payload: unknown,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const h = natsHeaders();
    for (const [k, v] of Object.entries(headers)) h.set(k, v);
    await this.js.publish(subject, JSON.stringify(payload), { headers: h });
  }

  async consume(
    subject: string,
    queue: string,
    handler: (delivery: Delivery) => Promise<void>,
    options: ConsumeOptions = {},
  ): Promise<Consumption> {
    const maxAttempts = options.maxAttempts ?? 5;
    const durable = `${queue}-${subject}`.replace(/[.*>]/g, '_');
    await this.jsm.consumers.add(this.stream, {
      durable_name: durable,
      filter_subject: subject,
      ack_policy: AckPolicy.Explicit,
      // As in memory: a queue receives what is published from its creation on, and keeps
      // it while no member consumes. A new queue does not replay the stream's past.
      deliver_policy: DeliverPolicy.New,
      inactive_threshold: nanos(this.options.inactiveMs ?? 86_400_000),
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
      max_deliver: maxAttempts + 1,
    });
    this.durables.add(durable);
    const consumer = await this.js.consumers.get(this.stream, durable);
    const messages = await consumer.consume({ max_messages: 1 });
    const loop = (async () => {
      for await (const m of messages) {
        const delivery: Delivery = {
          subject: m.subject,
          payload: m.json(),
          headers: Object.fromEntries(
            [...(m.headers?.keys() ?? [])].map((k) => [k, m.headers!.get(k)]),
          ),
          attempt: m.info.deliveryCount,
        };
        try {
          await handler(delivery);
          m.ack();
        } catch (error) {
          if (delivery.attempt >= maxAttempts) {
            await this.publish(deadLetterSubject(delivery.subject), deadLetter(delivery, error));
            m.term();
          } else {
            m.nak();
          }
        }
      }
    })();
    const consumption: Consumption = {
      stop: async () => {
        this.consumptions.delete(consumption);
        await messages.close();
        await loop;
      },
    };
    this.consumptions.add(consumption);
    return consumption;
  }

  async close(): Promise<void> {
    for (const c of [...this.consumptions]) await c.stop();
    if (this.options.deleteConsumersOnClose) {
      for (const d of this.durables)
        await this.jsm.consumers.delete(this.stream, d).catch(() => undefined);
    }
    if (this.ownsConnection) await this.nc.drain();
  }
}
