import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { EmailOutboxService } from './email-outbox.service.js';
import { OutboxController } from './outbox.controller.js';

/** The built-in email outbox's route. Never loaded with NODE_ENV=production (see DEV_MODULES in features.ts). */
@Module({
  imports: [UsersModule],
  controllers: [OutboxController],
  providers: [EmailOutboxService],
})
export class NotificationsDevModule {}
