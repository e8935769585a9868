import { Global, Module } from '@nestjs/common';
import { OutboundWebhooksController } from './outbound-webhooks.controller.js';
import { OutboundWebhooksRepository } from './outbound-webhooks.repository.js';
import { OutboundWebhooksService } from './outbound-webhooks.service.js';
import { WebhookOutbox } from './webhook-outbox.service.js';

/**
 * Outbound webhooks to partners (`/api/webhook-endpoints`); not the Twilio callbacks (`webhooks` module).
 * Global: the features that raise events (alerts, questionnaire, sms) inject `WebhookOutbox`.
 */
@Global()
@Module({
  controllers: [OutboundWebhooksController],
  providers: [OutboundWebhooksRepository, OutboundWebhooksService, WebhookOutbox],
  exports: [WebhookOutbox, OutboundWebhooksRepository],
})
export class OutboundWebhooksModule {}
