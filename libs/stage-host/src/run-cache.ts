import type { StrategyConfig } from '@tightloop/contracts';

/**
 * Per-run objects built from a run's config (a strategy, a cost model), kept while the
 * run is active: requests carry the config, and rebuilding from it every tick would cost
 * more than the stage's work. Bounded: the oldest run is dropped first.
 */
export class RunCache<T> {
  private readonly entries = new Map<string, { key: string; value: T }>();

  constructor(
    private readonly build: (config: StrategyConfig) => T,
    private readonly capacity = 64,
  ) {}

  get(runId: string, config: StrategyConfig): T {
    const key = JSON.stringify(config);
    const hit = this.entries.get(runId);
    if (hit && hit.key === key) return hit.value;
    const value = this.build(config);
    this.entries.delete(runId);
    this.entries.set(runId, { key, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
