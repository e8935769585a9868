import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuditListResponse } from '@lien/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { AuditLogService } from './audit-log.service.js';
import type { AuditContext } from './audit.service.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get()
  @RequirePermission('audit.read')
  @ApiOperation({
    summary:
      'Audit log, newest first; filters organisationId (platform admins), action, actorId, from, to; paged; each event lists its parents, named for their organisation’s admin only (such a page is audited: audit.read)',
  })
  @ApiResult('AuditListResponse')
  @ApiErrors(400, 401, 403)
  list(
    @Query() query: AuditQueryDto,
    @CurrentUser() user: AuthUser,
    @Audit() audit: AuditContext,
  ): Promise<AuditListResponse> {
    return this.auditLog.list(user, query, audit);
  }
}
