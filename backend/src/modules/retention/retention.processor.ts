import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { RetentionPurgeService } from './retention.service.js';

export const RETENTION_PURGE_SCHEDULER = 'maintenance-purge';
/** How often the worker applies RETENTION_DAYS. */
export const RETENTION_PURGE_INTERVAL_MS = 3_600_000;

/**
 * Thin: the retention purge as the `maintenance.purge` job, hourly (a BullMQ job scheduler: its cadence lives in
 * Redis, so restarts do not postpone it). Several workers are safe: the purge runs under a Postgres advisory
 * lock, so one does the work; the others find it busy. Shutdown stops between batches.
 */
@Injectable()
export class RetentionProcessor implements OnModuleInit {
  constructor(
    private readonly jobs: JobConsumers,
    private readonly purge: RetentionPurgeService,
  ) {}

  onModuleInit(): void {
    this.jobs.handle('maintenance.purge', (_data, { signal }) => this.purge.scheduledPass(signal));
    this.jobs.schedule(RETENTION_PURGE_SCHEDULER, 'maintenance.purge', RETENTION_PURGE_INTERVAL_MS);
  }
}
