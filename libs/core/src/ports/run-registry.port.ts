export const RunStatus = {
  queued: 'queued',
  running: 'running',
  completed: 'completed',
  failed: 'failed',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** One backtest or live run as the run controller tracks it. */
export interface RunRecord {
  runId: string;
  strategy: string;
  startupMode: 'backtest' | 'live';
  status: RunStatus;
  /** The request as given (dates, capital, overrides), for audit and re-runs. */
  request: Record<string, unknown>;
  ticksDone: number;
  ticksTotal: number | null;
  /** Ticks covered by the latest stored checkpoint: where a restart would resume it. */
  ticksCheckpointed: number;
  /** Set when a restart resumed the run: the tick it went on from (0: from the start). */
  resumedFromTick: number | null;
  /** Where the results were written, once completed. */
  outDir: string | null;
  error: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A run as first recorded: queued, nothing done, nothing checkpointed, created now. */
export function newRunRecord(
  run: Pick<RunRecord, 'runId' | 'strategy' | 'startupMode' | 'request'>,
  nowMs: number,
): RunRecord {
  return {
    ...run,
    status: 'queued',
    ticksDone: 0,
    ticksTotal: null,
    ticksCheckpointed: 0,
    resumedFromTick: null,
    outDir: null,
    error: null,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
}

export interface RunRegistry {
  create(run: RunRecord): Promise<void>;
  update(
    runId: string,
    patch: Partial<Omit<RunRecord, 'runId' | 'createdAtMs'>>,
  ): Promise<RunRecord>;
  get(runId: string): Promise<RunRecord | null>;
  /** Newest first. */
  list(): Promise<RunRecord[]>;
}
