import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { OutboxEmail } from '@lien/shared';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { EmailMessageEntity } from './email-message.entity.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import { OutboxEmailResponse } from './dto/outbox.responses.js';

/** The built-in email outbox of deployments without SMTP (demos, development). Gone (404) once SMTP is configured. */
@ApiTags('dev')
@ApiBearerAuth()
@Controller('api/dev/outbox')
export class OutboxController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('email')
  @RequirePermission('outbox.read')
  @ApiOperation({
    summary: 'Emails kept by the built-in outbox for this organisation, newest first (limit 1..200)',
  })
  @ApiResult(OutboxEmailResponse, { isArray: true })
  @ApiErrors(401, 403, { 404: 'SMTP is configured: no outbox' })
  async emails(@CurrentOrg() scope: OrgScope, @Query('limit') limitText?: string): Promise<OutboxEmail[]> {
    if (this.config.smtpUrl) throw notFound('Outbox');
    const limit = Math.min(Math.max(Number.parseInt(limitText ?? '', 10) || 50, 1), 200);
    const rows = await this.dataSource.getRepository(EmailMessageEntity).find({
      where: { organisationId: scope.organisationId },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id,
      to: row.toAddress,
      subject: row.subject,
      body: row.body,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
    }));
  }
}
