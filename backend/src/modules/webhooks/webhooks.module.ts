import { Module } from '@nestjs/common';
import { ParentsModule } from '../parents/parents.module.js';
import { SmsModule } from '../sms/sms.module.js';
import { InboundSmsRepository } from './inbound-sms.repository.js';
import { TwilioWebhooksController } from './twilio-webhooks.controller.js';

/** Twilio status callbacks and inbound SMS (`/api/webhooks/twilio/*`). */
@Module({
  imports: [SmsModule, ParentsModule],
  controllers: [TwilioWebhooksController],
  providers: [InboundSmsRepository],
})
export class WebhooksModule {}
