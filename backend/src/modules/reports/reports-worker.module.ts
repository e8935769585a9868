import { Module } from '@nestjs/common';
import { ReportsModule } from './reports.module.js';
import { ReportsProcessor } from './reports.processor.js';

/** Worker only (WORKER_QUEUES with `maintenance`): the rollup maintenance. */
@Module({ imports: [ReportsModule], providers: [ReportsProcessor] })
export class ReportsWorkerModule {}
