import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '@lien/shared';
import { Trim } from '../../../common/validation.js';

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://partner.example/lien/webhooks', description: 'HTTPS only' })
  @IsString()
  @Trim()
  @Length(8, 2048)
  url!: string;

  @ApiPropertyOptional({ example: 'Logiciel de la PMI' })
  @IsOptional()
  @IsString()
  @Trim()
  @MaxLength(200)
  description?: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['alert.created'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, {
    each: true,
    message: `eventTypes must each be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  })
  eventTypes!: WebhookEventType[];
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES, description: '`dead`: the dead-letter view' })
  @IsOptional()
  @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;
}
