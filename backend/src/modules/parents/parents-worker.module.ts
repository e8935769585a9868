import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from '../../common/periodic-task.js';
import { ParentNamePrefixesBackfill } from './name-prefixes-backfill.service.js';
import { ParentsModule } from './parents.module.js';

/** Parents without name prefix indexes are indexed at start-up, then hourly (rolling deployments). */
export const NAME_PREFIXES_BACKFILL_INTERVAL_MS = 3_600_000;

@Injectable()
export class ParentNamePrefixesBackfillScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(
    new Logger(ParentNamePrefixesBackfill.name),
    'Parent name prefixes backfill',
    async (signal) => {
      await this.backfill.run(signal);
    },
  );

  constructor(private readonly backfill: ParentNamePrefixesBackfill) {}

  onApplicationBootstrap(): void {
    this.task.start(NAME_PREFIXES_BACKFILL_INTERVAL_MS, 0);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}

/** Worker only: the name prefixes backfill. */
@Module({
  imports: [ParentsModule],
  providers: [ParentNamePrefixesBackfillScheduler],
})
export class ParentsWorkerModule {}
