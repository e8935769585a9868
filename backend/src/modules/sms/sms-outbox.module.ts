import { Module } from '@nestjs/common';
import { PageOutboxRepository } from './page-outbox.repository.js';
import { SmsOutboxService } from './sms-outbox.service.js';
import { SmsQueueService } from './sms-queue.service.js';
import { SmsRepository } from './sms.repository.js';

/**
 * The outbox's writing side (rows in the caller's transaction, jobs after commit), without the delivery: what
 * paging needs to write its pages into the outbox. `SmsModule` (the delivery) imports paging, so paging cannot
 * import `SmsModule`.
 */
@Module({
  providers: [SmsRepository, PageOutboxRepository, SmsOutboxService, SmsQueueService],
  exports: [SmsRepository, PageOutboxRepository, SmsOutboxService, SmsQueueService],
})
export class SmsOutboxModule {}
