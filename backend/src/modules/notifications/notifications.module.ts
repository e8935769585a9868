import { Global, Module } from '@nestjs/common';
import { AfterCommitSubscriber } from './after-commit.js';
import { MailService } from './mail.service.js';
import { OutboxController } from './outbox.controller.js';

/** Email (outbox rows + queued sends). Global: any feature injects MailService. */
@Global()
@Module({
  controllers: [OutboxController],
  providers: [MailService, AfterCommitSubscriber],
  exports: [MailService],
})
export class NotificationsModule {}
