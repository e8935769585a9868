import type { Logger } from '@nestjs/common';

/**
 * Work the worker process repeats on a timer (rollup compaction, retention purge): a plain timer rather than a
 * job on the shared maintenance queue, whose processor would receive every job of that queue. One pass at a
 * time (a tick while a pass runs joins it), failures logged by name and message only, and `stop` aborts the
 * pass's signal and waits for it.
 */
export class PeriodicTask {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly label: string,
    private readonly pass: (signal: AbortSignal) => Promise<void>,
  ) {}

  /** Every `intervalMs`, the first pass after `firstDelayMs` (default: one interval). */
  start(intervalMs: number, firstDelayMs?: number): void {
    if (firstDelayMs !== undefined) this.timers.push(setTimeout(() => void this.tick(), firstDelayMs));
    this.timers.push(setInterval(() => void this.tick(), intervalMs));
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.stopping.abort();
    await this.running;
  }

  /** One pass now, or the one under way. */
  tick(): Promise<void> {
    this.running ??= this.pass(this.stopping.signal)
      .catch((error: unknown) => {
        this.logger.error(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          `${this.label} failed`,
        );
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
