import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';

export const ROLLUP_MAINTENANCE_SCHEDULER = 'maintenance-rollup';
/** How often the worker compacts the report deltas and checks organisations' time zones. */
export const ROLLUP_MAINTENANCE_INTERVAL_MS = 60_000;

/**
 * Thin: the rollup maintenance as the `maintenance.rollup` job, every minute. Several workers are safe: the
 * compaction runs under a Postgres advisory lock, so one does the work.
 */
@Injectable()
export class ReportsProcessor implements OnModuleInit {
  constructor(
    private readonly jobs: JobConsumers,
    private readonly maintenance: RollupMaintenanceService,
  ) {}

  onModuleInit(): void {
    this.jobs.handle('maintenance.rollup', () => this.maintenance.run());
    this.jobs.schedule(ROLLUP_MAINTENANCE_SCHEDULER, 'maintenance.rollup', ROLLUP_MAINTENANCE_INTERVAL_MS);
  }
}
