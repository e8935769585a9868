import { Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { ReportsModule } from './reports.module.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';

export const ROLLUP_MAINTENANCE_SCHEDULER = 'maintenance-rollup';
/** How often the worker compacts the report deltas and checks organisations' time zones. */
export const ROLLUP_MAINTENANCE_INTERVAL_MS = 60_000;

/**
 * The rollup maintenance as the `maintenance.rollup` job, every minute (a BullMQ job scheduler). Several workers
 * are safe: the compaction runs under a Postgres advisory lock, so one does the work.
 */
@Injectable()
export class RollupMaintenanceScheduler implements OnModuleInit {
  private readonly logger = new Logger('RollupMaintenance');

  constructor(
    private readonly jobs: JobConsumers,
    private readonly maintenance: RollupMaintenanceService,
  ) {}

  onModuleInit(): void {
    this.jobs.handle('maintenance.rollup', async () => {
      const result = await this.maintenance.run();
      if (result.compacted > 0 || result.rebuiltOrganisations > 0)
        this.logger.debug(result, 'Rollups maintained');
      return result;
    });
    this.jobs.schedule(ROLLUP_MAINTENANCE_SCHEDULER, 'maintenance.rollup', ROLLUP_MAINTENANCE_INTERVAL_MS);
  }

  /** One maintenance pass, or the one under way in this process. */
  async tick(): Promise<void> {
    await this.jobs.runNow('maintenance.rollup');
  }
}

@Module({ imports: [ReportsModule], providers: [RollupMaintenanceScheduler] })
export class ReportsWorkerModule {}
