import { NATS_RECONNECT_FOREVER } from '@tightloop/transport';
import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import {
  ClientProxyFactory,
  NatsRecordBuilder,
  RpcException,
  Transport,
  type ClientProxy,
  type NatsContext,
} from '@nestjs/microservices';
import {
  nextInTickChain,
  tickChainLength,
  tickChainRequest,
  tickChainSubject,
  type StageRequest,
  type StageResponse,
  type TickChainMessage,
  type TickChainOperation,
} from '@tightloop/contracts';
import { z } from 'zod';
import { handleStageRequest } from './stage-request.handler';
import { inChainedTickSpan } from './stage-tracing.interceptor';

export const TICK_CHAIN_RELAY = Symbol('TICK_CHAIN_RELAY');

// The envelope only; each stage validates the request it builds from the message with its
// operation's own schema (handleStageRequest), as a requested stage does.
const envelopeSchema = z.object({
  runId: z.string(),
  tickIndex: z.number().int().nonnegative(),
  attempt: z.number().int().nonnegative(),
  replyTo: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  ahead: z.array(z.record(z.string(), z.unknown())),
  traces: z.array(z.string()).optional(),
  out: z.array(z.record(z.string(), z.unknown())),
});

const logger = new Logger('tick-chain');

/**
 * One step of a chained tick in a stage service: for each tick the message opens, build
 * this stage's request from the message, run the stage and add its output; then publish
 * the message to the next stage (or, after the last, to the run's reply subject). A
 * failure on the first tick goes to the reply subject with the stage and the reason, so
 * the loop fails with that message instead of waiting; on a speculative tick it only ends
 * the run of ticks there (the loop opens that tick anew if it ever gets there). The
 * strategy ends the run at the first tick with units to execute. In a traced run each
 * tick's stage runs in a span of that tick's trace, the child of the loop's span for the
 * tick (see inChainedTickSpan); the headers (the first tick's context) and `traces` travel
 * on unchanged, so every stage finds each tick's context.
 */
export class TickChainRelay implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly client: ClientProxy) {}

  async onModuleInit(): Promise<void> {
    await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  async step<O extends TickChainOperation>(
    op: O,
    payload: unknown,
    /** The handler's NatsContext (`@Ctx()`), for the sender's trace headers. */
    context: unknown,
    handler: (request: StageRequest<O>) => StageResponse<O> | Promise<StageResponse<O>>,
  ): Promise<void> {
    const envelope = envelopeSchema.safeParse(payload);
    if (!envelope.success) {
      // Without a valid reply subject nobody can be told; the loop's wait times out.
      logger.error(
        `${op}: chained message dropped, not a tick-chain message: ${envelope.error.message}`,
      );
      return;
    }
    const msg = payload as TickChainMessage;
    const headers: unknown = (context as NatsContext).getHeaders();
    try {
      const ticks = tickChainLength(op, msg);
      for (let k = 0; k < ticks; k++) {
        const response = await this.run(op, msg, k, handler);
        if (response === undefined) break;
        const out = (msg.out[k] ??= {}) as Record<string, unknown>;
        out[op] = response;
        if (op === 'strategy.decide' && (response as unknown[]).length > 0) {
          msg.out.length = k + 1;
          break;
        }
      }
      const next = nextInTickChain(op);
      this.publish(op, next ? tickChainSubject(msg.runId, next) : msg.replyTo, msg, headers);
    } catch (error) {
      const detail =
        error instanceof RpcException
          ? (error.getError() as { code?: string; message?: string })
          : { message: error instanceof Error ? error.message : String(error) };
      this.fail(op, msg, headers, detail.code ?? 'STAGE.FAILED', detail.message ?? String(detail));
    }
  }

  /**
   * Tells the loop the tick failed at `op`, with only what it reads of a failed tick: the
   * reply is small whatever the tick held.
   */
  private fail(
    op: TickChainOperation,
    msg: TickChainMessage,
    headers: unknown,
    code: string,
    message: string,
  ): void {
    const { runId, tickIndex, attempt, replyTo } = msg;
    this.publish(
      op,
      replyTo,
      {
        runId,
        tickIndex,
        attempt,
        replyTo,
        input: {} as TickChainMessage['input'],
        ahead: [],
        out: [],
        error: { operation: op, code, message },
      },
      headers,
    );
  }

  /** The stage on tick k; undefined (and the run cut there) if a speculative tick fails. */
  private async run<O extends TickChainOperation>(
    op: O,
    msg: TickChainMessage,
    k: number,
    handler: (request: StageRequest<O>) => StageResponse<O> | Promise<StageResponse<O>>,
  ): Promise<StageResponse<O> | undefined> {
    const stage = () => {
      const request = tickChainRequest(op, msg, k);
      return inChainedTickSpan(msg, k, op, request, () => handleStageRequest(op, request, handler));
    };
    if (k === 0) return stage();
    try {
      return await stage();
    } catch (error) {
      logger.debug(
        `${op}: speculative tick ${msg.tickIndex + k} of run ${msg.runId} not opened: ${error instanceof Error ? error.message : String(error)}`,
      );
      msg.out.length = k;
      return undefined;
    }
  }

  private publish(
    op: TickChainOperation,
    subject: string,
    msg: TickChainMessage,
    headers: unknown,
  ): void {
    const record = new NatsRecordBuilder(msg);
    if (headers) record.setHeaders(headers);
    this.client.emit(subject, record.build()).subscribe({
      error: (error: unknown) => this.unsent(op, subject, msg, headers, error),
    });
  }

  /**
   * A message too large for the server sheds its later (speculative) ticks, half at a
   * time, and goes on; a single tick too large fails the run with the reason. Any other
   * failure leaves it lost, and the loop sends the tick again after its wait.
   */
  private unsent(
    op: TickChainOperation,
    subject: string,
    msg: TickChainMessage,
    headers: unknown,
    error: unknown,
  ): void {
    const reason = error instanceof Error ? error.message : String(error);
    const tooLarge = /max_payload/i.test(reason) && !msg.error;
    if (tooLarge && msg.out.length > 1) {
      msg.out.length = Math.ceil(msg.out.length / 2);
      logger.warn(
        `${op}: run ${msg.runId} tick ${msg.tickIndex}: too large for the server (${reason}); ` +
          `sent on with ${msg.out.length} tick(s)`,
      );
      msg.ahead.length = Math.min(msg.ahead.length, msg.out.length - 1);
      this.publish(op, subject, msg, headers);
      return;
    }
    logger.error(`publish to ${subject} of run ${msg.runId} failed: ${reason}`);
    if (tooLarge)
      this.fail(
        op,
        msg,
        headers,
        'STAGE.FAILED',
        `one tick does not fit in a NATS message: ${reason}`,
      );
  }
}

/** Gives every stage controller of a service the relay, on the service's NATS server. */
@Global()
@Module({})
export class TickChainRelayModule {
  static forRoot(natsUrl: string): DynamicModule {
    return {
      module: TickChainRelayModule,
      providers: [
        {
          provide: TICK_CHAIN_RELAY,
          useFactory: () =>
            new TickChainRelay(
              ClientProxyFactory.create({
                transport: Transport.NATS,
                options: {
                  servers: [natsUrl],
                  ...NATS_RECONNECT_FOREVER,
                },
              }),
            ),
        },
      ],
      exports: [TICK_CHAIN_RELAY],
    };
  }
}

/** For controllers: `constructor(@InjectTickChainRelay() relay: TickChainRelay)`. */
export const InjectTickChainRelay = () => Inject(TICK_CHAIN_RELAY);
