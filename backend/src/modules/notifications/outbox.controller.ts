import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OutboxEmail } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import { EmailOutboxService } from './email-outbox.service.js';

/**
 * The built-in email outbox of deployments without SMTP (demos, development). Registered only outside
 * production (NotificationsDevModule); 404 once SMTP is configured.
 */
@ApiTags('dev')
@ApiBearerAuth()
@Controller('api/dev/outbox')
export class OutboxController {
  constructor(private readonly outbox: EmailOutboxService) {}

  @Get('email')
  @RequirePermission('self')
  @ApiOperation({
    summary: 'Emails addressed to the signed-in user (platform admin: all, credential links masked)',
  })
  @ApiResult('OutboxEmail', { isArray: true })
  @ApiErrors(401, 403)
  emails(@CurrentUser() user: AuthUser, @Query('limit') limitText?: string): Promise<OutboxEmail[]> {
    const limit = Math.min(Math.max(Number.parseInt(limitText ?? '', 10) || 50, 1), 200);
    return this.outbox.list(user, limit);
  }
}
