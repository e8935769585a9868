import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { ParentNamePrefixesBackfill } from './name-prefixes-backfill.service.js';

export const NAME_PREFIXES_BACKFILL_SCHEDULER = 'maintenance-backfill-name-prefixes';
/** Parents without name prefix indexes (left by an older version) are indexed at start-up, then hourly. */
export const NAME_PREFIXES_BACKFILL_EVERY_MS = 3_600_000;

/** Thin: the parents' part of the maintenance queue, the name prefixes backfill. */
@Injectable()
export class ParentsProcessor implements OnModuleInit {
  constructor(
    private readonly jobs: JobConsumers,
    private readonly backfill: ParentNamePrefixesBackfill,
  ) {}

  onModuleInit(): void {
    this.jobs.handle('maintenance.backfill-name-prefixes', (_data, { signal }) => this.backfill.run(signal));
    this.jobs.schedule(
      NAME_PREFIXES_BACKFILL_SCHEDULER,
      'maintenance.backfill-name-prefixes',
      NAME_PREFIXES_BACKFILL_EVERY_MS,
      { alsoAtStartup: true },
    );
  }
}
