import { Inject, Query } from '@nestjs/common';
import type { DevOutboxResponse } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg } from '../../common/auth/decorators.js';
import { invalid, notFound } from '../../common/errors.js';
import { ApiController, Route } from '../../common/route.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DevOutboxRepository } from './dev-outbox.repository.js';

/**
 * The built-in SMS outbox, for demos without Twilio: registered only outside production (SmsDevModule), 404 as
 * soon as Twilio is configured. Per organisation: its professionals follow their parents' SMS.
 */
@ApiController('dev', 'api/dev/outbox/sms')
export class DevOutboxController {
  constructor(
    private readonly repository: DevOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Route('GET', 'outbox.read', {
    summary: 'SMS written by the built-in provider for this organisation, newest first',
    errors: [400, { 404: 'Twilio is configured: no outbox' }],
    result: 'DevOutboxResponse',
  })
  async list(@CurrentOrg() scope: OrgScope, @Query('limit') limitText?: string): Promise<DevOutboxResponse> {
    if (this.config.twilio) throw notFound('Outbox');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw invalid('limit', 'must be a whole number from 1 to 500');
    const rows = await this.repository.list(scope, limit);
    return {
      items: rows.map((row) => ({
        id: row.id,
        smsMessageId: row.smsMessageId,
        parentId: row.parentId,
        kind: row.kind,
        to: row.toPhone,
        sender: row.sender,
        body: row.body,
        link: /https?:\/\/\S+\/q\/[A-Za-z0-9_-]+/.exec(row.body)?.[0] ?? null,
        createdAt: row.createdAt.toISOString(),
      })),
    };
  }
}
