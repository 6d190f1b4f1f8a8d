import { NATS_RECONNECT_FOREVER } from '@tightloop/transport';
import {
  ClientProxyFactory,
  NatsRecordBuilder,
  Transport,
  type ClientProxy,
} from '@nestjs/microservices';
import {
  redactUrl,
  stageRequestSubject,
  TICK_CHAIN,
  type TickChainOutputs,
  type ExecutionUnit,
  type Fill,
  type MarketDataSource,
  type MarketSnapshot,
  type StageOperation,
  type StageRequest,
  type StageResponse,
  type StrategyConfig,
} from '@tightloop/contracts';
import type {
  DecideRequest,
  LoopStages,
  OpenedTick,
  OpenTickRequest,
  PnlRequest,
  PositionSource,
  PositionState,
  RefreshRequest,
  RiskLimits,
  VenueGateway,
} from '@tightloop/core';
import type { Exposure } from '@tightloop/contracts';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { firstValueFrom, timeout } from 'rxjs';
import { JetStreamExecutionClient } from './jetstream-execution.client';
import type { TicksAheadTracing } from './loop-tracing';
import { NatsTickChainClient } from './nats-tick-chain.client';
import { SpeculatedTicks } from './speculated-ticks';
import { StageCallError, type RetryPolicy } from './stage-call.error';

export { StageCallError, type RetryPolicy } from './stage-call.error';

/**
 * How long a chained tick may go unanswered before it is sent again (then doubling): long
 * against a tick's few milliseconds, short against a service's restart.
 */
const TICK_CHAIN_FIRST_WAIT_MS = 2_000;

/**
 * An error reply from a service (a request that broke its schema, a handler that threw) is
 * final: asking again gives the same answer. Only silence is worth another try.
 */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (code === 'STAGE.BAD_REQUEST' || code === 'STAGE.FAILED') return false;
  const text = `${(error as { name?: string })?.name ?? ''} ${(error as { message?: string })?.message ?? ''}`;
  return /timeout|no responders|no subscribers|503|disconnect|closed|reconnect/i.test(text);
}

type Body<O extends StageOperation> = Omit<StageRequest<O>, 'runId' | 'tickIndex' | 'seq'>;

/**
 * Opening ticks ahead (see SpeculatedTicks): a backtest's markets, and the most ticks one
 * chained message opens. Each run of ticks without units doubles the next message's
 * length, up to the most, so a strategy that acts often wastes little speculation and one
 * that rarely acts sends few messages.
 */
export interface TickSpeculation {
  market: MarketDataSource;
  maxTicks: number;
  /** A traced run's: each tick sent ahead gets its span, so its stages get its trace. */
  tracing?: TicksAheadTracing;
}

/**
 * The loop's stages as services over NATS: a tick's opening as one chained message (with
 * the ticks speculated after it), each execution unit as a durable JetStream command, and
 * the rest (fills applied, the reconciliation chain) as requests to the queue group of the
 * service that owns the operation. Every message carries (run, tick, seq), the key a
 * service logs and dedupes by; `seq` counts the messages within a tick.
 */
export class NatsStagesClient implements LoopStages, VenueGateway, PositionSource {
  private readonly client: ClientProxy;
  private tickIndex = -1;
  private tickTsMs = Number.NaN;
  private seq = 0;
  private readonly chain: NatsTickChainClient;
  private execution: JetStreamExecutionClient | null = null;
  private readonly speculated = new SpeculatedTicks((tickIndex) =>
    this.speculation?.tracing?.discard(tickIndex),
  );
  /** Ticks opened in a row without units: the length of the next chained message. */
  private quietTicks = 0;

  constructor(
    private readonly natsUrl: string,
    private readonly runId: string,
    private readonly config: StrategyConfig,
    private readonly timeoutMs = 30_000,
    private readonly retry: RetryPolicy = { attempts: 8, firstDelayMs: 100 },
    /** Trace context of the calling span, sent as headers so the service joins its trace. */
    private readonly traceHeaders: () => MsgHdrs | undefined = () => undefined,
    /** Absent, each chained message opens one tick. */
    private readonly speculation?: TickSpeculation,
  ) {
    this.client = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: {
        servers: [natsUrl],
        ...NATS_RECONNECT_FOREVER,
      },
    });
    this.chain = new NatsTickChainClient(
      this.client,
      runId,
      Math.min(timeoutMs, TICK_CHAIN_FIRST_WAIT_MS),
      retry,
      traceHeaders,
    );
  }

  async connect(): Promise<void> {
    try {
      await this.client.connect().catch((error: unknown) => {
        throw new StageCallError(
          `cannot reach NATS at ${redactUrl(this.natsUrl)} (${error instanceof Error ? error.message : String(error)}): ` +
            'is a server running there, with the stage services on it (`tightloop up`)?',
        );
      });
      await this.chain.connect();
      this.execution = new JetStreamExecutionClient(
        this.client.unwrap<NatsConnection>(),
        this.runId,
        this.timeoutMs,
        this.retry,
        this.traceHeaders,
      );
      await this.execution.connect();
    } catch (error) {
      // Half a connection would keep the process alive after the run has failed.
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    // Ticks opened ahead that a failed run never got to: their spans end as discarded.
    this.speculated.discardAll();
    this.execution?.close();
    this.chain.close();
    await this.client.close();
  }

  /**
   * The tick's opening as one chain of one-way publishes through the five services; with
   * speculation, the same message opens the ticks after it too, kept for when the loop
   * gets there.
   */
  async openTick(req: OpenTickRequest): Promise<OpenedTick> {
    const { refresh } = req;
    this.tickTsMs = refresh.market.tsMs;
    this.tickIndex = req.tickIndex;
    this.seq = TICK_CHAIN.length;
    const opened = this.speculated.take(req) ?? (await this.openAnew(req));
    this.quietTicks = opened.units.length > 0 ? 0 : this.quietTicks + 1;
    return opened;
  }

  private async openAnew(req: OpenTickRequest): Promise<OpenedTick> {
    const { refresh } = req;
    const ahead = this.marketsAhead(req.tickIndex);
    const tracing = this.speculation?.tracing;
    const traces = tracing && ahead.map((m, k) => tracing.open(req.tickIndex + 1 + k, m.tsMs));
    const outs = await this.chain.open(
      req.tickIndex,
      {
        ...refresh,
        limits: req.limits,
        pnl: req.pnl,
        moveFrom: req.moveFrom,
        config: this.config,
        pendingWithdrawalSc: req.pendingWithdrawalSc,
      },
      ahead,
      traces,
    );
    const opened = outs.map(openedTick);
    this.speculated.keep(req, opened, [refresh.market, ...ahead]);
    return opened[0]!;
  }

  private marketsAhead(tickIndex: number): MarketSnapshot[] {
    if (!this.speculation) return [];
    const { market, maxTicks } = this.speculation;
    const last = Math.min(
      market.timestampsMs.length - 1,
      tickIndex + Math.min(maxTicks, this.chain.ticksFitting(), Math.max(1, this.quietTicks)) - 1,
    );
    const ahead: MarketSnapshot[] = [];
    for (let i = tickIndex + 1; i <= last; i++) ahead.push(market.snapshot(i));
    return ahead;
  }

  refreshPositions(req: RefreshRequest) {
    return this.call('positions.refresh', req.market, req);
  }

  computeExposure(req: {
    state: PositionState;
    market: MarketSnapshot;
    shareClass: 'USDT' | 'ETH';
  }) {
    return this.call('exposure.compute', req.market, req);
  }

  assessRisk(req: { exposure: Exposure; limits: RiskLimits; market: MarketSnapshot }) {
    return this.call('risk.assess', req.market, req);
  }

  updatePnl(req: PnlRequest) {
    return this.call('pnl.update', req.market, req);
  }

  decide(req: DecideRequest): Promise<ExecutionUnit[]> {
    return this.call('strategy.decide', req.market, { ...req, config: this.config });
  }

  /** A durable command over JetStream (see JetStreamExecutionClient), not a request. */
  execute(unit: ExecutionUnit, state: PositionState, market: MarketSnapshot): Promise<Fill[]> {
    const body = { unit, state, market, config: this.config };
    return this.execution!.execute({ ...body, ...this.stamp(market) });
  }

  afterExecution(state: PositionState, fills: readonly Fill[]): Promise<PositionState> {
    return this.call('positions.apply', undefined, { state, fills: [...fills] });
  }

  /** (run, tick, seq) of the next request: seq counts the requests within a tick. */
  private stamp(market: MarketSnapshot | undefined) {
    if (market && market.tsMs !== this.tickTsMs) {
      this.tickTsMs = market.tsMs;
      this.tickIndex++;
      this.seq = 0;
    }
    return { runId: this.runId, tickIndex: this.tickIndex, seq: this.seq++ };
  }

  private async call<O extends StageOperation>(
    operation: O,
    market: MarketSnapshot | undefined,
    body: Body<O>,
  ): Promise<StageResponse<O>> {
    const request = { ...body, ...this.stamp(market) };
    const subject = stageRequestSubject(this.runId, operation);
    // An untraced run sends the bare request, as without tracing.
    const headers = this.traceHeaders();
    const message = headers ? new NatsRecordBuilder(request).setHeaders(headers).build() : request;
    for (let attempt = 1; ; attempt++) {
      try {
        return await firstValueFrom(
          this.client.send<StageResponse<O>>(subject, message).pipe(timeout(this.timeoutMs)),
        );
      } catch (error) {
        if (attempt < this.retry.attempts && isRetryable(error)) {
          // Stages are pure functions of the request, so the same request may be asked again.
          await new Promise((r) => setTimeout(r, this.retry.firstDelayMs * 2 ** (attempt - 1)));
          continue;
        }
        const detail = (error as { message?: string })?.message ?? JSON.stringify(error);
        throw new StageCallError(
          `stage ${operation} failed for run ${this.runId} at tick ${this.tickIndex} after ${attempt} attempt(s): ${detail}`,
        );
      }
    }
  }
}

function openedTick(out: TickChainOutputs): OpenedTick {
  const refreshed = out['positions.refresh']!;
  const pnl = out['pnl.update']!;
  return {
    refreshed,
    chained: {
      result: {
        state: refreshed.state,
        exposure: out['exposure.compute']!,
        risk: out['risk.assess']!,
        pnl: pnl.report,
      },
      pnl: pnl.pnl,
    },
    units: out['strategy.decide']!,
  };
}
