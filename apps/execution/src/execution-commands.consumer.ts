import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { trace, type Tracer } from '@opentelemetry/api';
import {
  EXECUTION_COMMANDS,
  executionCommandSchema,
  type ExecutionAnswer,
  type StageRequest,
} from '@tightloop/contracts';
import { deadLetterSubject, type Consumption, type Delivery } from '@tightloop/core';
import { handleStageRequest, requestAttributes } from '@tightloop/stage-host';
import { extractTraceContextRecord, withSpan } from '@tightloop/telemetry';
import { deadLetter, NATS_RECONNECT_FOREVER, NatsJetStreamBus } from '@tightloop/transport';
import type { ExecutionLedger } from './execution.ledger';

const logger = new Logger('execution');

export interface ExecutionCommandsOptions {
  natsUrl: string;
  /** The durable consumer replicas share; the service's queue group. */
  queue: string;
  ledger: ExecutionLedger;
  execute(request: StageRequest<'execution.execute'>): Promise<Fill[]>;
  tracer?: Tracer;
  /** Runs last on shutdown, once the last ledger batch is stored (closes the store). */
  afterStop?: () => Promise<void>;
}
type Fill = NonNullable<ExecutionAnswer['fills']>[number];

/**
 * Consumes execution commands from JetStream, one at a time per replica, and answers each
 * on its reply subject. A command is acknowledged only once answered: a replica that dies
 * holding one leaves it to be redelivered. Each unit is executed at most once per
 * (run, tick, seq); a repeat is answered from the ledger. A command that is not one goes
 * to the dead-letter subject at once (nobody can be told); a request that fails its
 * schema, or a unit that fails, is answered with the error, which fails the run.
 */
export class ExecutionCommandsConsumer implements OnModuleInit, OnApplicationShutdown {
  private nc: NatsConnection | null = null;
  private bus: NatsJetStreamBus | null = null;
  private consumption: Consumption | null = null;

  constructor(private readonly options: ExecutionCommandsOptions) {}

  async onModuleInit(): Promise<void> {
    this.nc = await connect({
      servers: this.options.natsUrl,
      name: 'execution',
      ...NATS_RECONNECT_FOREVER,
    });
    this.bus = await NatsJetStreamBus.over(this.nc);
    this.consumption = await this.bus.consume(EXECUTION_COMMANDS, this.options.queue, (d) =>
      this.handle(d),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumption?.stop();
    try {
      await this.options.ledger.flush();
    } finally {
      await this.nc?.drain();
      await this.options.afterStop?.();
    }
  }

  private async handle(delivery: Delivery): Promise<void> {
    const command = executionCommandSchema.safeParse(delivery.payload);
    if (!command.success) {
      const error = new Error(`not an execution command: ${command.error.message}`);
      logger.error(`${delivery.subject}: ${error.message}; dead-lettered`);
      await this.bus!.publish(deadLetterSubject(delivery.subject), deadLetter(delivery, error));
      return;
    }
    const parent = extractTraceContextRecord(delivery.headers);
    const answer = await (this.options.tracer && trace.getSpanContext(parent)?.isRemote
      ? withSpan(
          this.options.tracer,
          'execution.execute',
          requestAttributes('execution.execute', command.data.request),
          () => this.answer(command.data.request),
          parent,
        )
      : this.answer(command.data.request));
    this.nc!.publish(command.data.replyTo, JSON.stringify(answer));
  }

  private async answer(payload: unknown): Promise<ExecutionAnswer> {
    const at = identify(payload);
    let fromLedger = false;
    try {
      const fills = await handleStageRequest('execution.execute', payload, async (request) => {
        const { runId, tickIndex, seq } = request;
        const known = await this.options.ledger.find(runId, tickIndex, seq);
        if (known) {
          fromLedger = true;
          logger.log(
            `run ${runId} tick ${tickIndex} seq ${seq}: executed before, answered from the ledger`,
          );
          return known;
        }
        const executed = await this.options.execute(request);
        this.options.ledger.record(runId, tickIndex, seq, executed);
        const filled = executed.filter((f) => f.status === 'filled').length;
        logger.log(
          `run ${runId} tick ${tickIndex} seq ${seq}: executed, ${filled} of ${executed.length} instruction(s) filled`,
        );
        return executed;
      });
      return fromLedger ? { ...at, fills, fromLedger } : { ...at, fills };
    } catch (error) {
      const detail =
        error instanceof RpcException
          ? (error.getError() as { code?: string; message?: string })
          : { message: error instanceof Error ? error.message : String(error) };
      return {
        ...at,
        error: { code: detail.code ?? 'STAGE.FAILED', message: detail.message ?? String(detail) },
      };
    }
  }
}

/** Run, tick and seq as the request states them, before it is validated (for the answer). */
function identify(payload: unknown): Pick<ExecutionAnswer, 'runId' | 'tickIndex' | 'seq'> {
  const r = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<
    string,
    unknown
  >;
  return {
    runId: typeof r.runId === 'string' ? r.runId : '',
    tickIndex: typeof r.tickIndex === 'number' ? r.tickIndex : -1,
    seq: typeof r.seq === 'number' ? r.seq : -1,
  };
}
