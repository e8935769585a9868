import { Module } from '@nestjs/common';
import { OutboundWebhooksModule } from './outbound-webhooks.module.js';
import { OutboundWebhooksProcessor } from './outbound-webhooks.processor.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

/** Worker only: deliveries and their reconciler. */
@Module({
  imports: [OutboundWebhooksModule],
  providers: [WebhookDeliveryService, OutboundWebhooksProcessor],
})
export class OutboundWebhooksWorkerModule {}
