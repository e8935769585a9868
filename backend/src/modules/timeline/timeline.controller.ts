import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ParentTimeline } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { notFound } from '../../common/errors.js';
import type { AuditContext } from '../audit/audit.service.js';
import { TimelineService } from './timeline.service.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import { ParentTimelineResponse, TIMELINE_ENTRY_MODELS } from './dto/timeline.responses.js';

@ApiTags('parents')
@ApiBearerAuth()
@Controller('api/parents')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  /** Enrolment, invitations and their SMS, opens, responses, alerts and follow-up, oldest first. Audited. */
  @Get(':id/timeline')
  @RequirePermission('parents.read')
  @ApiOperation({ summary: 'The parent’s timeline, oldest first (audited read)' })
  @ApiResult(ParentTimelineResponse, { extraModels: TIMELINE_ENTRY_MODELS })
  @ApiErrors(401, 403, 404)
  get(
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => notFound('Parent') })) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() context: AuditContext,
  ): Promise<ParentTimeline> {
    return this.timeline.timeline(id, scope.organisationId, context);
  }
}
