import { Injectable } from '@nestjs/common';
import { JobHandler, type JobContext } from '../../queue/job-handler.decorator.js';
import type { JobPayloads } from '../../queue/jobs.js';
import { ParentNamePrefixesBackfill } from './name-prefixes-backfill.service.js';

export const NAME_PREFIXES_BACKFILL_SCHEDULER = 'maintenance-backfill-name-prefixes';
/** Parents without name prefix indexes (left by an older version) are indexed at start-up, then hourly. */
export const NAME_PREFIXES_BACKFILL_EVERY_MS = 3_600_000;

/** Thin: the parents' part of the maintenance queue, the name prefixes backfill. */
@Injectable()
export class ParentsProcessor {
  constructor(private readonly backfill: ParentNamePrefixesBackfill) {}

  @JobHandler('maintenance.backfill-name-prefixes', {
    scheduler: NAME_PREFIXES_BACKFILL_SCHEDULER,
    every: NAME_PREFIXES_BACKFILL_EVERY_MS,
    alsoAtStartup: true,
  })
  backfillNamePrefixes(
    _payload: JobPayloads['maintenance.backfill-name-prefixes'],
    { signal }: JobContext,
  ): Promise<unknown> {
    return this.backfill.run(signal);
  }
}
