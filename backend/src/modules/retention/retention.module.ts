import { Module } from '@nestjs/common';
import { RetentionRepository } from './retention.repository.js';
import { RetentionPurgeService } from './retention.service.js';

/** The retention purge and audit partitions (run by RetentionWorkerModule's scheduled job). */
@Module({ providers: [RetentionRepository, RetentionPurgeService], exports: [RetentionPurgeService] })
export class RetentionModule {}
