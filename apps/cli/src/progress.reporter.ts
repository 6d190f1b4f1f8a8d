import { SingleBar, Presets } from 'cli-progress';

/**
 * A terminal progress bar that appears only when a run has lasted longer than
 * `delayMs` and stderr is a terminal, so short runs and logs stay clean.
 */
export class ProgressReporter {
  private bar: SingleBar | null = null;
  private readonly startedAt = Date.now();
  private total = 0;

  constructor(
    private readonly label: string,
    private readonly delayMs = 1_000,
    private readonly enabled = Boolean(process.stderr.isTTY),
  ) {}

  start(total: number): void {
    this.total = total;
  }

  update(done: number): void {
    if (!this.enabled) return;
    if (!this.bar) {
      if (Date.now() - this.startedAt < this.delayMs) return;
      this.bar = new SingleBar(
        {
          format: `${this.label} [{bar}] {percentage}% | {value}/{total} ticks | eta {eta}s`,
          stream: process.stderr,
        },
        Presets.shades_classic,
      );
      this.bar.start(this.total, done);
    }
    this.bar.update(done);
  }

  stop(): void {
    this.bar?.stop();
  }
}
