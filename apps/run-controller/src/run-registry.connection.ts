import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { RunRecord, RunRegistry } from '@tightloop/core';
import type { RunCheckpointStore } from '@tightloop/runner';
import { ApiError } from './api.error';
import { describeError } from './error-message.describer';
import type { OpenedRunRegistry, RunRegistryOpener } from './run-registry.opener';

export interface RunRegistryConnectionOptions {
  open: RunRegistryOpener;
  /** Runs on each newly opened registry before anything else may use it. */
  prepare: (registry: RunRegistry) => Promise<void>;
  /** Where the registry lives, for the log and the readiness answer. */
  where: string;
  /** Waits between attempts: the first, doubling up to the cap. */
  retry?: { firstDelayMs: number; maxDelayMs: number };
  onRetry: (message: string) => void;
  onReady: (message: string) => void;
}

const DEFAULT_RETRY = { firstDelayMs: 1_000, maxDelayMs: 30_000 };

/**
 * The run registry as the service sees it: opened in the background once the app starts,
 * so the process is live (and says why it is not ready) while Postgres is still starting
 * or unreachable, and tried again with backoff until it opens, is migrated and prepared.
 * Until then every call is a 503 REGISTRY_UNAVAILABLE: a run must not be accepted that
 * could not be recorded. Closed on application shutdown, after the run queue has drained
 * (that is the `beforeApplicationShutdown` phase, which comes first).
 */
export class RunRegistryConnection
  implements RunRegistry, OnApplicationBootstrap, OnApplicationShutdown
{
  private opened: OpenedRunRegistry | null = null;
  private problem = 'not opened yet';
  private closed = false;
  private connecting: Promise<void> | null = null;
  private cancelWait: (() => void) | null = null;
  private readonly ready: Promise<void>;
  private settleReady!: { resolve: () => void; reject: (error: Error) => void };

  constructor(private readonly options: RunRegistryConnectionOptions) {
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    // Nobody may be waiting when a close rejects it; that is not an unhandled failure.
    this.ready.catch(() => undefined);
  }

  /** Ready: open, migrated and prepared. Otherwise, the reason (the last failure). */
  get status(): { ready: true } | { ready: false; problem: string } {
    return this.opened ? { ready: true } : { ready: false, problem: this.problem };
  }

  get where(): string {
    return this.options.where;
  }

  /** Resolves once the registry is usable; rejects if the connection closes first. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  onApplicationBootstrap(): void {
    this.connecting ??= this.connectWithRetry();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelWait?.();
    await this.connecting;
    this.settleReady.reject(new Error(`the run registry (${this.where}) was closed`));
    const opened = this.opened;
    this.opened = null;
    this.problem = 'closed';
    await opened?.close();
  }

  /** The runs' checkpoints: in the same store as the registry, usable when it is. */
  readonly checkpoints: RunCheckpointStore = {
    latest: async (runId) => this.current().checkpoints.latest(runId),
    saveBatch: async (batch) => this.current().checkpoints.saveBatch(batch),
    since: async (runId, tickIndex, seq) => this.current().checkpoints.since(runId, tickIndex, seq),
    forget: async (runId) => this.current().checkpoints.forget(runId),
  };

  // Async, so a registry that is not ready is a rejection, never a synchronous throw.
  async create(run: RunRecord): Promise<void> {
    return this.current().registry.create(run);
  }

  async update(runId: string, patch: Parameters<RunRegistry['update']>[1]): Promise<RunRecord> {
    return this.current().registry.update(runId, patch);
  }

  async get(runId: string): Promise<RunRecord | null> {
    return this.current().registry.get(runId);
  }

  async list(): Promise<RunRecord[]> {
    return this.current().registry.list();
  }

  private current(): OpenedRunRegistry {
    if (this.opened) return this.opened;
    throw ApiError.unavailable(
      'REGISTRY_UNAVAILABLE',
      `the run registry (${this.where}) is not ready: ${this.problem}`,
    );
  }

  private async connectWithRetry(): Promise<void> {
    const { firstDelayMs, maxDelayMs } = this.options.retry ?? DEFAULT_RETRY;
    let delayMs = firstDelayMs;
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        const opened = await this.openPrepared();
        if (this.closed) {
          await opened.close();
          return;
        }
        this.opened = opened;
        this.settleReady.resolve();
        this.options.onReady(`run registry ready: ${this.where}`);
        return;
      } catch (error) {
        this.problem = describeError(error);
        this.options.onRetry(
          `run registry (${this.where}) not ready after attempt ${attempt}: ${this.problem}; ` +
            `trying again in ${delayMs} ms`,
        );
        await this.wait(delayMs);
        delayMs = Math.min(delayMs * 2, maxDelayMs);
      }
    }
  }

  private async openPrepared(): Promise<OpenedRunRegistry> {
    const opened = await this.options.open();
    try {
      await this.options.prepare(opened.registry);
      return opened;
    } catch (error) {
      // Its own close error would hide why it failed.
      await opened.close().catch(() => undefined);
      throw error;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.cancelWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
