import { Injectable } from '@nestjs/common';
import { JobHandler } from '../../queue/job-handler.decorator.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';

export const ROLLUP_MAINTENANCE_SCHEDULER = 'maintenance-rollup';
/** How often the worker compacts the report deltas and checks organisations' time zones. */
export const ROLLUP_MAINTENANCE_INTERVAL_MS = 60_000;

/**
 * Thin: the rollup maintenance as the `maintenance.rollup` job, every minute. Several workers are safe: the
 * compaction runs under a Postgres advisory lock, so one does the work.
 */
@Injectable()
export class ReportsProcessor {
  constructor(private readonly maintenance: RollupMaintenanceService) {}

  @JobHandler('maintenance.rollup', {
    scheduler: ROLLUP_MAINTENANCE_SCHEDULER,
    every: ROLLUP_MAINTENANCE_INTERVAL_MS,
  })
  rollup(): Promise<unknown> {
    return this.maintenance.run();
  }
}
