import { Module } from '@nestjs/common';
import { EmailDeliveryService } from './email-delivery.service.js';
import { EmailProcessor } from './email.processor.js';

/** Worker only: consumes the email queue. */
@Module({
  providers: [EmailDeliveryService, EmailProcessor],
  exports: [EmailDeliveryService],
})
export class NotificationsWorkerModule {}
