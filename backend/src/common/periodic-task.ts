import type { Logger } from '@nestjs/common';

/**
 * Work one process repeats for itself on a timer (e.g. re-checking the sessions of the live streams it holds
 * open). Work done once for the whole system (reconcilers, purge, rollups) is a BullMQ job scheduler instead
 * (`@JobHandler(name, { scheduler, every })` in the feature's processor, queue/job-handler.decorator.ts). One
 * pass at a time (a tick while a pass runs joins it), failures logged by name and message only, and `stop`
 * aborts the pass's signal and waits for it.
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
