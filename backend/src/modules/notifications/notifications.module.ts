import { Global, Module } from '@nestjs/common';
import { AfterCommitSubscriber } from './after-commit.js';
import { EmailMessagesRepository } from './email-messages.repository.js';
import { MailService } from './mail.service.js';

/**
 * Email (outbox rows + queued sends). Global: any feature injects MailService. The built-in outbox's route lives
 * in NotificationsDevModule, never loaded in production.
 */
@Global()
@Module({
  // The repository is exported for the worker's delivery and the built-in outbox (both in this room).
  providers: [MailService, EmailMessagesRepository, AfterCommitSubscriber],
  exports: [MailService, EmailMessagesRepository],
})
export class NotificationsModule {}
