import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ReportsModule } from './reports.module.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';

/** How often the worker compacts the report deltas and checks organisations' time zones. */
export const ROLLUP_MAINTENANCE_INTERVAL_MS = 60_000;

/**
 * Runs the rollup maintenance every minute in the worker. A plain timer rather than a job on the shared
 * maintenance queue: several processors on one BullMQ queue would each receive the others' jobs. Several
 * workers are safe: the compaction runs under a Postgres advisory lock, so one does the work.
 */
@Injectable()
export class RollupMaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RollupMaintenance');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly maintenance: RollupMaintenanceService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), ROLLUP_MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One maintenance pass, skipped while the previous one still runs. */
  tick(): Promise<void> {
    this.running ??= this.maintenance
      .run()
      .then((result) => {
        if (result.compacted > 0 || result.rebuiltOrganisations > 0)
          this.logger.debug(result, 'Rollups maintained');
      })
      .catch((error: unknown) => {
        this.logger.error(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'Rollup maintenance failed',
        );
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}

@Module({ imports: [ReportsModule], providers: [RollupMaintenanceScheduler] })
export class ReportsWorkerModule {}
