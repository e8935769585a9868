import { Module } from '@nestjs/common';
import { OutboundWebhooksModule } from './outbound-webhooks.module.js';
import { OutboundWebhooksProcessor, OutboundWebhooksSchedules } from './outbound-webhooks.processor.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

/** Worker only: deliveries and their reconciler. */
@Module({
  imports: [OutboundWebhooksModule],
  providers: [WebhookDeliveryService, OutboundWebhooksProcessor, OutboundWebhooksSchedules],
})
export class OutboundWebhooksWorkerModule {}
