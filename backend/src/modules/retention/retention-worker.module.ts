import { Module } from '@nestjs/common';
import { RetentionModule } from './retention.module.js';
import { RetentionProcessor } from './retention.processor.js';

/** Worker process only, WORKER_QUEUES with `maintenance`: the hourly purge and the audit partitions. */
@Module({ imports: [RetentionModule], providers: [RetentionProcessor] })
export class RetentionWorkerModule {}
