import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from '../../common/periodic-task.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionPurgeService } from './retention.service.js';

/** How often the worker applies RETENTION_DAYS. */
export const RETENTION_PURGE_INTERVAL_MS = 3_600_000;
/** The first pass after start-up: a worker restarted more often than hourly still purges. */
export const RETENTION_FIRST_PURGE_DELAY_MS = 60_000;

/**
 * Runs the retention purge in the worker, hourly (see `PeriodicTask`). Several workers are safe: the purge runs
 * under a Postgres advisory lock, so one does the work; the others find it busy. Shutdown stops between batches
 * rather than waiting for a long first purge to finish.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RetentionPurge');
  private readonly task = new PeriodicTask(this.logger, 'Retention purge', async (signal) => {
    const result = await this.purge.run(signal);
    if (result.busy) this.logger.debug('Retention purge running elsewhere');
    if (!signal.aborted) await this.purge.maintainAuditPartitions();
  });

  constructor(private readonly purge: RetentionPurgeService) {}

  onApplicationBootstrap(): void {
    this.task.start(RETENTION_PURGE_INTERVAL_MS, RETENTION_FIRST_PURGE_DELAY_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  tick(): Promise<void> {
    return this.task.tick();
  }
}

@Module({ providers: [RetentionRepository, RetentionPurgeService, RetentionScheduler] })
export class RetentionWorkerModule {}
