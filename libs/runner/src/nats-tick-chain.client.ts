import { NatsRecordBuilder, type ClientProxy } from '@nestjs/microservices';
import type { MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  stageRequestSubject,
  tickChainReplySubject,
  tickChainSubject,
  TICK_CHAIN,
  type TickChainInput,
  type TickChainMessage,
  type TickChainOutputs,
} from '@tightloop/contracts';
import { StageCallError, type RetryPolicy } from './stage-call.error';

interface Pending {
  tickIndex: number;
  attempt: number;
  resolve(out: TickChainOutputs[]): void;
  reject(error: Error): void;
}

/**
 * A tick's opening chain (position -> exposure -> risk -> pnl -> strategy) sent once to the
 * position monitor and passed from service to service as one-way publishes; the strategy
 * publishes the finished message back to the run's reply subject. Five stages cost six
 * one-way messages instead of five request/reply round trips.
 *
 * Delivery is at least once from the origin: core NATS may lose a message to a service
 * restarting or a NATS restart, so a tick unanswered within the wait is sent again (stages
 * are pure functions of the message, so a repeat gives the same answer) and a reply to an
 * earlier sending is ignored. A stage's error reply is final.
 */
export class NatsTickChainClient {
  private subscription: Subscription | null = null;
  private pending: Pending | null = null;
  /** The largest a tick has made a reply so far: what the next message's length is held to. */
  private bytesPerTick = 0;

  /** `client` is the run's NATS client, connected before `connect` and closed by its owner. */
  constructor(
    private readonly client: ClientProxy,
    private readonly runId: string,
    private readonly waitMs: number,
    private readonly retry: RetryPolicy,
    private readonly traceHeaders: () => MsgHdrs | undefined = () => undefined,
  ) {}

  async connect(): Promise<void> {
    const nc = this.client.unwrap<NatsConnection>();
    this.subscription = nc.subscribe(tickChainReplySubject(this.runId), {
      callback: (error, msg) => {
        if (error) return;
        this.onReply(msg.data);
      },
    });
    // The reply subscription must be known to the server before the first tick is sent.
    await nc.flush();
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  /**
   * How many ticks one message may open: the reply carries every stage's output for each
   * tick, so its size grows with them, and NATS refuses a message over the server's
   * `max_payload` (1 MB by default). Held to half of it, by the largest tick seen so far.
   */
  ticksFitting(): number {
    if (this.bytesPerTick === 0) return 1;
    const maxPayload = this.client.unwrap<NatsConnection>().info?.max_payload ?? 1_048_576;
    return Math.max(1, Math.floor(maxPayload / 2 / this.bytesPerTick));
  }

  /**
   * Opens tick `tickIndex` from `input`, and speculatively one more for each market in
   * `ahead` (see TickChainMessage), traced in `traces` if given: each stage's outputs for
   * as many ticks as the chain opened, the first always included.
   */
  async open(
    tickIndex: number,
    input: TickChainInput,
    ahead: TickChainInput['market'][] = [],
    traces?: string[],
  ): Promise<TickChainOutputs[]> {
    for (let attempt = 1; ; attempt++) {
      const waitMs = this.waitMs * 2 ** Math.min(attempt - 1, 4);
      try {
        return await this.send(tickIndex, attempt, input, ahead, traces, waitMs);
      } catch (error) {
        if (!(error instanceof ChainTimeout)) throw error;
        if (attempt >= this.retry.attempts) throw await this.unanswered(tickIndex, attempt, error);
      }
    }
  }

  /**
   * Why a chained tick went unanswered, as far as can be told: the first stage with no
   * service subscribed (asked directly, over request/reply), else the wait itself.
   */
  private async unanswered(tickIndex: number, attempt: number, timeout: Error): Promise<Error> {
    const nc = this.client.unwrap<NatsConnection>();
    const where = `for run ${this.runId} at tick ${tickIndex} after ${attempt} attempt(s)`;
    for (const op of TICK_CHAIN) {
      const missing = await nc
        .request(stageRequestSubject(this.runId, op), '{}', { timeout: 1_000 })
        .then(
          () => false,
          (error: unknown) =>
            /no responders/i.test(`${(error as Error)?.name} ${(error as Error)?.message}`),
        );
      if (missing) return new StageCallError(`stage ${op} failed ${where}: no service answers it`);
    }
    return new StageCallError(`tick chain ${where}: no reply (${timeout.message})`);
  }

  private send(
    tickIndex: number,
    attempt: number,
    input: TickChainInput,
    ahead: TickChainInput['market'][],
    traces: string[] | undefined,
    waitMs: number,
  ): Promise<TickChainOutputs[]> {
    const msg: TickChainMessage = {
      runId: this.runId,
      tickIndex,
      attempt,
      replyTo: tickChainReplySubject(this.runId),
      input,
      ahead,
      ...(traces && { traces }),
      out: [],
    };
    return new Promise<TickChainOutputs[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(new ChainTimeout(`waited ${waitMs} ms`));
      }, waitMs);
      this.pending = {
        tickIndex,
        attempt,
        resolve: (out) => {
          clearTimeout(timer);
          resolve(out);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const headers = this.traceHeaders();
      const record = new NatsRecordBuilder(msg);
      if (headers) record.setHeaders(headers);
      this.client.emit(tickChainSubject(this.runId, TICK_CHAIN[0]), record.build()).subscribe({
        error: () => undefined, // unsent is unanswered: the wait above resends it
      });
    });
  }

  private onReply(data: Uint8Array): void {
    let msg: TickChainMessage;
    try {
      msg = (JSON.parse(Buffer.from(data).toString('utf8')) as { data: TickChainMessage }).data;
    } catch {
      return;
    }
    if (!msg.error && msg.out.length > 0)
      this.bytesPerTick = Math.max(this.bytesPerTick, data.length / msg.out.length);
    const pending = this.pending;
    if (!pending || msg.tickIndex !== pending.tickIndex || msg.attempt !== pending.attempt) return;
    this.pending = null;
    if (msg.error) {
      pending.reject(
        new StageCallError(
          `stage ${msg.error.operation} failed for run ${this.runId} at tick ${msg.tickIndex}: ${msg.error.message}`,
        ),
      );
    } else {
      pending.resolve(msg.out);
    }
  }
}

class ChainTimeout extends Error {}
