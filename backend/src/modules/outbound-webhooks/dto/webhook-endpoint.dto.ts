import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '@lien/shared';
import { EnumField, EnumListField, TextField } from '../../../common/api-fields.js';

export class CreateWebhookEndpointDto {
  @TextField({
    example: 'https://partner.example/lien/webhooks',
    description: 'HTTPS only',
    trim: true,
    min: 8,
    max: 2048,
  })
  url!: string;

  @TextField({ optional: true, example: 'Logiciel de la PMI', trim: true, max: 200 }) description?: string;
  @EnumListField(WEBHOOK_EVENT_TYPES, { example: ['alert.created'] }) eventTypes!: WebhookEventType[];
}

export class ListDeliveriesQuery {
  @EnumField(WEBHOOK_DELIVERY_STATUSES, { optional: true, description: '`dead`: the dead-letter view' })
  status?: WebhookDeliveryStatus;
}
