import { Injectable, Logger } from '@nestjs/common';
import { ReportsRepository } from './reports.repository.js';

export interface RollupMaintenanceResult {
  compacted: number;
  rebuiltOrganisations: number;
  /** True when another process held the rollup lock: nothing was compacted this time. */
  busy: boolean;
}

const BATCH = 50_000;

/**
 * Keeps the rollups tidy: rebuilds the organisations whose time zone changed (or that were never
 * rebuilt), then folds the pending deltas into the daily and monthly rollups. Reports are exact without it
 * (they read the deltas too); it keeps the delta table small so they stay fast.
 */
@Injectable()
export class RollupMaintenanceService {
  private readonly logger = new Logger('RollupMaintenance');

  constructor(private readonly repository: ReportsRepository) {}

  async run(): Promise<RollupMaintenanceResult> {
    const result = await this.maintain();
    if (result.compacted > 0 || result.rebuiltOrganisations > 0)
      this.logger.debug(result, 'Rollups maintained');
    return result;
  }

  private async maintain(): Promise<RollupMaintenanceResult> {
    const toRebuild = await this.repository.organisationsToRebuild();
    let rebuilt = 0;
    for (const organisationId of toRebuild) {
      try {
        await this.repository.rebuild([organisationId]);
        rebuilt += 1;
      } catch (error) {
        // A write racing the rebuild's snapshot may abort it (serialization failure): the next run retries.
        this.logger.warn(
          { organisationId, err: { name: (error as Error).name, message: (error as Error).message } },
          'Rollup rebuild deferred',
        );
      }
    }
    let compacted = 0;
    for (;;) {
      const moved = await this.repository.compact(BATCH);
      if (moved < 0) return { compacted, rebuiltOrganisations: rebuilt, busy: true };
      compacted += moved;
      if (moved < BATCH) return { compacted, rebuiltOrganisations: rebuilt, busy: false };
    }
  }
}
