import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { RetentionModule } from './retention.module.js';
import { RetentionPurgeService } from './retention.service.js';

export const RETENTION_PURGE_SCHEDULER = 'maintenance-purge';
/** How often the worker applies RETENTION_DAYS. */
export const RETENTION_PURGE_INTERVAL_MS = 3_600_000;

/**
 * The retention purge as the `maintenance.purge` job, hourly (a BullMQ job scheduler: its cadence lives in
 * Redis, so restarts do not postpone it). Several workers are safe: the purge runs under a Postgres advisory
 * lock, so one does the work; the others find it busy. Shutdown stops between batches.
 */
@Injectable()
export class RetentionScheduler implements OnModuleInit {
  private readonly logger = new Logger('RetentionPurge');

  constructor(
    private readonly jobs: JobConsumers,
    private readonly purge: RetentionPurgeService,
  ) {}

  onModuleInit(): void {
    this.jobs.handle('maintenance.purge', async (_data, { signal }) => {
      const result = await this.purge.run(signal);
      if (result.busy) this.logger.debug('Retention purge running elsewhere');
      if (!signal.aborted) await this.purge.maintainAuditPartitions();
      return result;
    });
    this.jobs.schedule(RETENTION_PURGE_SCHEDULER, 'maintenance.purge', RETENTION_PURGE_INTERVAL_MS);
  }

  /** One purge pass now, or the one under way in this process. */
  async tick(): Promise<void> {
    await this.jobs.runNow('maintenance.purge');
  }
}

/** Worker process only, WORKER_QUEUES with `maintenance`. */
@Module({ imports: [RetentionModule], providers: [RetentionScheduler] })
export class RetentionWorkerModule {}
