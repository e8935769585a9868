import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from '../../common/periodic-task.js';
import { ReportsModule } from './reports.module.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';

/** How often the worker compacts the report deltas and checks organisations' time zones. */
export const ROLLUP_MAINTENANCE_INTERVAL_MS = 60_000;

/**
 * Runs the rollup maintenance every minute in the worker (see `PeriodicTask`). Several workers are safe: the
 * compaction runs under a Postgres advisory lock, so one does the work.
 */
@Injectable()
export class RollupMaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RollupMaintenance');
  private readonly task = new PeriodicTask(this.logger, 'Rollup maintenance', async () => {
    const result = await this.maintenance.run();
    if (result.compacted > 0 || result.rebuiltOrganisations > 0)
      this.logger.debug(result, 'Rollups maintained');
  });

  constructor(private readonly maintenance: RollupMaintenanceService) {}

  onApplicationBootstrap(): void {
    this.task.start(ROLLUP_MAINTENANCE_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One maintenance pass, or the one under way. */
  tick(): Promise<void> {
    return this.task.tick();
  }
}

@Module({ imports: [ReportsModule], providers: [RollupMaintenanceScheduler] })
export class ReportsWorkerModule {}
