import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { DevOutboxResponse, SmsKind } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import { invalid, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import { DevOutboxResponseDto } from './dto/dev-outbox.responses.js';

interface OutboxRow {
  id: string;
  sms_message_id: string;
  parent_id: string | null;
  kind: SmsKind | null;
  to_phone: string;
  sender: string;
  body: string;
  created_at: Date;
}

/** The built-in SMS outbox, for demos without Twilio: 404 as soon as Twilio is configured. */
@ApiTags('dev')
@ApiBearerAuth()
@Controller('api/dev/outbox/sms')
export class DevOutboxController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @RequirePermission('outbox.read')
  @ApiOperation({ summary: 'SMS written by the built-in provider for this organisation, newest first' })
  @ApiResult(DevOutboxResponseDto)
  @ApiErrors(400, 401, 403, { 404: 'Twilio is configured: no outbox' })
  async list(@CurrentOrg() scope: OrgScope, @Query('limit') limitText?: string): Promise<DevOutboxResponse> {
    if (this.config.twilio) throw notFound('Outbox');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw invalid('limit', 'must be a whole number from 1 to 500');
    const rows = await this.dataSource.query<OutboxRow[]>(
      `SELECT d.id, d.sms_message_id, s.parent_id, s.kind, d.to_phone, d.sender, d.body, d.created_at
       FROM dev_sms_outbox d LEFT JOIN sms_messages s ON s.id = d.sms_message_id
       WHERE d.organisation_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      [scope.organisationId, limit],
    );
    return {
      items: rows.map((row) => ({
        id: row.id,
        smsMessageId: row.sms_message_id,
        parentId: row.parent_id,
        kind: row.kind,
        to: row.to_phone,
        sender: row.sender,
        body: row.body,
        link: /https?:\/\/\S+\/q\/[A-Za-z0-9_-]+/.exec(row.body)?.[0] ?? null,
        createdAt: new Date(row.created_at).toISOString(),
      })),
    };
  }
}
