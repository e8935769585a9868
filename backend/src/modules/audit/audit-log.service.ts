import { Injectable } from '@nestjs/common';
import type { AuditListResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { listScopeOf } from '../../common/auth/scope.js';
import { invalid } from '../../common/errors.js';
import { pageOf } from '../../common/paging.js';
import { ParentNames } from '../parents/parent-names.service.js';
import type { AuditQueryDto } from './dto/audit-query.dto.js';
import { parentIdsOf, parentNamesScope, parentViews } from './audit-parents.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService, type AuditContext } from './audit.service.js';

/**
 * GET /api/audit: org admins read their organisation's log, platform admins any organisation's (or all). Each
 * event lists the parents it is about, named for a reader who may see them (`audit-parents.ts`); a page that
 * names a parent is itself a named read, audited (`audit.read`, the ids shown, never names).
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly events: AuditRepository,
    private readonly parentNames: ParentNames,
    private readonly audit: AuditService,
  ) {}

  async list(actor: AuthUser, query: AuditQueryDto, context: AuditContext): Promise<AuditListResponse> {
    const scope = listScopeOf(actor, query.organisationId);
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
    const parentIds = items.map(parentIdsOf);
    const namesScope = parentNamesScope(actor);
    // One query and one decryption per parent for the whole page.
    const names = namesScope
      ? await this.parentNames.of(namesScope, parentIds.flat())
      : new Map<string, string>();
    if (names.size > 0) {
      await this.audit.record(context, {
        action: 'audit.read',
        targetType: 'parent',
        metadata: { parentIds: [...names.keys()].sort(), page },
      });
    }
    return {
      items: items.map((event, index) => ({
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
        parents: parentViews(parentIds[index] ?? [], names),
        createdAt: event.createdAt.toISOString(),
      })),
      total,
      page,
      pageSize,
    };
  }
}
