import { Injectable } from '@nestjs/common';
import { JobHandler, type JobContext } from '../../queue/job-handler.decorator.js';
import type { JobPayloads } from '../../queue/jobs.js';
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
export class RetentionProcessor {
  constructor(private readonly purge: RetentionPurgeService) {}

  @JobHandler('maintenance.purge', {
    scheduler: RETENTION_PURGE_SCHEDULER,
    every: RETENTION_PURGE_INTERVAL_MS,
  })
  purgeExpired(_payload: JobPayloads['maintenance.purge'], { signal }: JobContext): Promise<unknown> {
    return this.purge.scheduledPass(signal);
  }
}
