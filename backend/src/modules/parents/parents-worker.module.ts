import { Module } from '@nestjs/common';
import { ParentsModule } from './parents.module.js';
import { ParentsProcessor } from './parents.processor.js';

/** Worker only (WORKER_QUEUES with `maintenance`): the name prefixes backfill. */
@Module({
  imports: [ParentsModule],
  providers: [ParentsProcessor],
})
export class ParentsWorkerModule {}
