import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { DevOutboxResponse, DevOutboxSms } from '@lien/shared';

/** `GET /api/dev/outbox/sms`: what the built-in provider "sent" (only when Twilio is not configured). */
@ApiSchema({ name: 'DevOutboxSms' })
export class DevOutboxSmsResponse implements DevOutboxSms {
  @ApiProperty({ type: String })
  id!: DevOutboxSms['id'];

  @ApiProperty({ type: String, format: 'uuid' })
  smsMessageId!: DevOutboxSms['smsMessageId'];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentId!: DevOutboxSms['parentId'];

  @ApiProperty({ enum: ['invitation', 'reminder'], nullable: true })
  kind!: DevOutboxSms['kind'];

  @ApiProperty({
    type: String,
    description: 'Masked number ("+336******78"): the outbox is a demo tool, not a second copy of the phone.',
  })
  to!: DevOutboxSms['to'];

  @ApiProperty({ type: String })
  sender!: DevOutboxSms['sender'];

  @ApiProperty({ type: String })
  body!: DevOutboxSms['body'];

  @ApiProperty({ type: String, nullable: true, description: 'The questionnaire link found in the body.' })
  link!: DevOutboxSms['link'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: DevOutboxSms['createdAt'];
}

@ApiSchema({ name: 'DevOutboxResponse' })
export class DevOutboxResponseDto implements DevOutboxResponse {
  @ApiProperty({ type: () => DevOutboxSmsResponse, isArray: true })
  items!: DevOutboxResponse['items'];
}
