import { Injectable } from '@nestjs/common';
import type { AuditListResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { scopeOf } from '../../common/auth/scope.js';
import { invalid, notFound } from '../../common/errors.js';
import { pageOf } from '../../common/paging.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';
import { AuditRepository } from './audit.repository.js';

/** GET /api/audit: org admins read their organisation's log, platform admins any organisation's (or all). */
@Injectable()
export class AuditLogService {
  constructor(private readonly events: AuditRepository) {}

  async list(actor: AuthUser, query: AuditQueryDto): Promise<AuditListResponse> {
    const scope = scopeOf(actor);
    if (
      scope.kind === 'organisation' &&
      query.organisationId &&
      query.organisationId !== scope.organisationId
    )
      throw notFound('Organisation');
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from.getTime() >= to.getTime()) throw invalid('to', 'must be after from');
    const { page, pageSize } = pageOf(query);
    const { items, total } = await this.events.list(scope, {
      ...(query.organisationId ? { organisationId: query.organisationId } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      page,
      pageSize,
    });
    return {
      items: items.map((event) => ({
        id: String(event.id),
        organisationId: event.organisationId,
        actorId: event.actorId,
        actorDisplayName: event.actorDisplayName,
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId,
        ip: event.ip,
        requestId: event.requestId,
        metadata: event.metadata,
        createdAt: event.createdAt.toISOString(),
      })),
      total,
      page,
      pageSize,
    };
  }
}
