import type { MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  executionCommandSubject,
  executionReplySubject,
  type ExecutionAnswer,
  type ExecutionCommand,
  type Fill,
  type StageRequest,
} from '@tightloop/contracts';
import { NatsJetStreamBus } from '@tightloop/transport';
import { StageCallError, type RetryPolicy } from './stage-call.error';

interface Pending {
  tickIndex: number;
  seq: number;
  resolve(answer: ExecutionAnswer): void;
}

/**
 * Units to execute, sent as durable commands (see executionCommandSubject): the command
 * is stored by JetStream before `execute` waits, so a unit sent while the execution
 * service restarts is executed when it is back. An answer not received within the wait
 * (doubling each time) is asked for again with the same (run, tick, seq), which the
 * service answers from its ledger without executing twice. An error answer is final.
 */
export class JetStreamExecutionClient {
  private bus: NatsJetStreamBus | null = null;
  private subscription: Subscription | null = null;
  private pending: Pending | null = null;

  /** `nc` is the run's NATS connection, open before `connect` and closed by its owner. */
  constructor(
    private readonly nc: NatsConnection,
    private readonly runId: string,
    private readonly waitMs: number,
    private readonly retry: RetryPolicy,
    private readonly traceHeaders: () => MsgHdrs | undefined = () => undefined,
  ) {}

  async connect(): Promise<void> {
    this.bus = await NatsJetStreamBus.over(this.nc).catch((error: unknown) => {
      throw new StageCallError(
        `execution units are sent over JetStream, which the NATS server refused ` +
          `(${error instanceof Error ? error.message : String(error)}): ` +
          'start nats-server with --jetstream',
      );
    });
    this.subscription = this.nc.subscribe(executionReplySubject(this.runId), {
      callback: (error, msg) => {
        if (!error) this.onAnswer(msg.data);
      },
    });
    await this.nc.flush();
  }

  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  async execute(request: StageRequest<'execution.execute'>): Promise<Fill[]> {
    const command: ExecutionCommand = { replyTo: executionReplySubject(this.runId), request };
    const where = `for run ${this.runId} at tick ${request.tickIndex} (unit ${request.seq})`;
    for (let attempt = 1; ; attempt++) {
      const waitMs = this.waitMs * 2 ** Math.min(attempt - 1, 4);
      const answer = await this.send(request, command, waitMs).catch(async (error: unknown) => {
        // JetStream did not take the command (NATS down, say): wait as a request would,
        // then send it again.
        if (attempt >= this.retry.attempts) throw failed(where, attempt, error);
        await new Promise((r) => setTimeout(r, this.retry.firstDelayMs * 2 ** (attempt - 1)));
        return undefined;
      });
      if (answer?.error)
        throw new StageCallError(
          `stage execution.execute failed ${where}: ${answer.error.message}`,
        );
      if (answer?.fills) return answer.fills;
      if (attempt >= this.retry.attempts)
        throw new StageCallError(
          `stage execution.execute failed ${where} after ${attempt} attempt(s): no answer; is an execution service consuming ${executionCommandSubject(this.runId)}?`,
        );
    }
  }

  /** The answer to this sending, or undefined when none came within `waitMs`. */
  private async send(
    request: StageRequest<'execution.execute'>,
    command: ExecutionCommand,
    waitMs: number,
  ): Promise<ExecutionAnswer | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<ExecutionAnswer | undefined>((resolve) => {
      this.pending = { tickIndex: request.tickIndex, seq: request.seq, resolve };
      timer = setTimeout(() => {
        this.pending = null;
        resolve(undefined);
      }, waitMs);
    });
    try {
      await this.bus!.publish(
        executionCommandSubject(this.runId),
        command,
        headerRecord(this.traceHeaders()),
      );
      return await answered;
    } catch (error) {
      this.pending = null;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private onAnswer(data: Uint8Array): void {
    let answer: ExecutionAnswer;
    try {
      answer = JSON.parse(Buffer.from(data).toString('utf8')) as ExecutionAnswer;
    } catch {
      return;
    }
    const pending = this.pending;
    // A repeat's answer, or one to a unit already answered, is ignored.
    if (!pending || answer.tickIndex !== pending.tickIndex || answer.seq !== pending.seq) return;
    this.pending = null;
    pending.resolve(answer);
  }
}

function headerRecord(headers: MsgHdrs | undefined): Record<string, string> {
  if (!headers) return {};
  return Object.fromEntries([...headers.keys()].map((k) => [k, headers.get(k)]));
}

function failed(where: string, attempt: number, error: unknown): StageCallError {
  const detail = error instanceof Error ? error.message : String(error);
  return new StageCallError(
    `stage execution.execute failed ${where} after ${attempt} attempt(s): ${detail}`,
  );
}
