import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { OutboxEmail } from '@lien/shared';

/** `GET /api/dev/outbox/email`: emails kept locally when no SMTP is configured. */
@ApiSchema({ name: 'OutboxEmail' })
export class OutboxEmailResponse implements OutboxEmail {
  @ApiProperty({ type: String })
  id!: OutboxEmail['id'];

  @ApiProperty({ type: String })
  to!: OutboxEmail['to'];

  @ApiProperty({ type: String })
  subject!: OutboxEmail['subject'];

  @ApiProperty({ type: String })
  body!: OutboxEmail['body'];

  @ApiProperty({ enum: ['pending', 'sent', 'outbox', 'failed'] })
  status!: OutboxEmail['status'];

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: OutboxEmail['createdAt'];
}
