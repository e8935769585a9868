import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RetentionRepository } from './retention.repository.js';
import { RetentionPurgeService } from './retention.service.js';

/** How often the worker applies RETENTION_DAYS. */
export const RETENTION_PURGE_INTERVAL_MS = 3_600_000;
/** The first pass after start-up: a worker restarted more often than hourly still purges. */
export const RETENTION_FIRST_PURGE_DELAY_MS = 60_000;

/**
 * Runs the retention purge in the worker, hourly. A plain timer rather than a job on the shared maintenance
 * queue (its processor lives in the SMS module and would receive the job). Several workers are safe: the
 * purge runs under a Postgres advisory lock, so one does the work; the others find it busy.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RetentionPurge');
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly purge: RetentionPurgeService) {}

  onApplicationBootstrap(): void {
    this.timers.push(
      setTimeout(() => void this.tick(), RETENTION_FIRST_PURGE_DELAY_MS),
      setInterval(() => void this.tick(), RETENTION_PURGE_INTERVAL_MS),
    );
    for (const timer of this.timers) timer.unref();
  }

  /** Stops between two batches rather than waiting for a long first purge to finish. */
  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.stopping.abort();
    await this.running;
  }

  /** One purge pass, skipped while the previous one still runs. */
  tick(): Promise<void> {
    this.running ??= this.purge
      .run(this.stopping.signal)
      .then((result) => {
        if (result.busy) this.logger.debug('Retention purge running elsewhere');
      })
      .catch((error: unknown) => {
        this.logger.error(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'Retention purge failed',
        );
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}

@Module({ providers: [RetentionRepository, RetentionPurgeService, RetentionScheduler] })
export class RetentionWorkerModule {}
