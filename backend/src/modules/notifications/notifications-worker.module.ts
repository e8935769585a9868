import { Module } from '@nestjs/common';
import { EmailDeliveryService } from './email-delivery.service.js';
import { EmailProcessor, EmailSchedules } from './email.processor.js';

/** Worker only: consumes the email queue. */
@Module({
  providers: [EmailDeliveryService, EmailProcessor, EmailSchedules],
  exports: [EmailDeliveryService],
})
export class NotificationsWorkerModule {}
