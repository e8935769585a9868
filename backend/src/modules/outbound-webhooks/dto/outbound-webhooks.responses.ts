import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type CreatedWebhookEndpoint,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '@lien/shared';

@ApiSchema({ name: 'WebhookEndpointView' })
export class WebhookEndpointViewResponse implements WebhookEndpointView {
  @ApiProperty({ type: String, format: 'uuid' })
  id!: WebhookEndpointView['id'];

  @ApiProperty({ type: String, format: 'uri', example: 'https://partner.example/lien-events' })
  url!: WebhookEndpointView['url'];

  @ApiProperty({ type: String, nullable: true })
  description!: WebhookEndpointView['description'];

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  eventTypes!: WebhookEndpointView['eventTypes'];

  @ApiProperty({ type: Boolean })
  enabled!: WebhookEndpointView['enabled'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt!: WebhookEndpointView['disabledAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failingSince!: WebhookEndpointView['failingSince'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: WebhookEndpointView['createdAt'];
}

@ApiSchema({ name: 'CreatedWebhookEndpoint' })
export class CreatedWebhookEndpointResponse
  extends WebhookEndpointViewResponse
  implements CreatedWebhookEndpoint
{
  @ApiProperty({ type: String, description: 'The signing secret, shown in this answer only' })
  secret!: CreatedWebhookEndpoint['secret'];
}

@ApiSchema({ name: 'WebhookDeliveryView' })
export class WebhookDeliveryViewResponse implements WebhookDeliveryView {
  @ApiProperty({ type: String, description: 'The `webhook-id` header: the same on every retry' })
  id!: WebhookDeliveryView['id'];

  @ApiProperty({ type: String, format: 'uuid' })
  endpointId!: WebhookDeliveryView['endpointId'];

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES })
  eventType!: WebhookDeliveryView['eventType'];

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES })
  status!: WebhookDeliveryView['status'];

  @ApiProperty({ type: Number })
  attempts!: WebhookDeliveryView['attempts'];

  @ApiProperty({ type: Number, nullable: true })
  lastStatusCode!: WebhookDeliveryView['lastStatusCode'];

  @ApiProperty({ type: String, nullable: true })
  lastError!: WebhookDeliveryView['lastError'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: WebhookDeliveryView['createdAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt!: WebhookDeliveryView['lastAttemptAt'];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: WebhookDeliveryView['deliveredAt'];
}
