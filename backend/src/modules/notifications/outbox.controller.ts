import { Query } from '@nestjs/common';
import type { OutboxEmail } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { ApiController, Route } from '../../common/route.js';
import { EmailOutboxService } from './email-outbox.service.js';

/**
 * The built-in email outbox of deployments without SMTP (demos, development). Registered only outside
 * production (NotificationsDevModule); 404 once SMTP is configured.
 */
@ApiController('dev', 'api/dev/outbox')
export class OutboxController {
  constructor(private readonly outbox: EmailOutboxService) {}

  @Route('GET email', 'self', {
    summary: 'Emails addressed to the signed-in user (platform admin: all, credential links masked)',
    result: { schema: 'OutboxEmail', isArray: true },
  })
  emails(@CurrentUser() user: AuthUser, @Query('limit') limitText?: string): Promise<OutboxEmail[]> {
    const limit = Math.min(Math.max(Number.parseInt(limitText ?? '', 10) || 50, 1), 200);
    return this.outbox.list(user, limit);
  }
}
