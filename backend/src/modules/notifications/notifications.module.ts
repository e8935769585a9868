import { Global, Module } from '@nestjs/common';
import { AfterCommitSubscriber } from './after-commit.js';
import { MailService } from './mail.service.js';

/**
 * Email (outbox rows + queued sends). Global: any feature injects MailService. The built-in outbox's route lives
 * in NotificationsDevModule, never loaded in production.
 */
@Global()
@Module({
  providers: [MailService, AfterCommitSubscriber],
  exports: [MailService],
})
export class NotificationsModule {}
