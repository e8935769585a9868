import { Query } from '@nestjs/common';
import type { AuditListResponse } from '@lien/shared';
import { Caller } from '../../common/auth/decorators.js';
import { ApiController, Route } from '../../common/route.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

@ApiController('audit', 'api/audit')
export class AuditController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Route('GET', 'audit.read', {
    summary:
      'Audit log, newest first; filters organisationId (platform admins), action, actorId, from, to; paged; each event lists its parents, named for their organisation’s admin only (such a page is audited: audit.read)',
    errors: [400],
    result: 'AuditListResponse',
  })
  list(@Query() query: AuditQueryDto, @Caller() { user, audit }: Caller): Promise<AuditListResponse> {
    return this.auditLog.list(user, query, audit);
  }
}
