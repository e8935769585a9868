import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AdhocInvitationResponse, ParentDetail, ParentHistory, ParentListResponse } from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { AllowApiKey, CurrentOrg, CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import { LinkHouseholdDto } from './dto/household.dto.js';
import { EnrolParentDto, ListParentsQuery, UpdateParentDto } from './dto/parent.dto.js';
import { HouseholdsService } from './households.service.js';
import { ParentHistoryService } from './parent-history.service.js';
import { ParentsService } from './parents.service.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';

@ApiTags('parents')
@ApiBearerAuth()
@Controller('api/parents')
export class ParentsController {
  constructor(
    private readonly parents: ParentsService,
    private readonly histories: ParentHistoryService,
    private readonly households: HouseholdsService,
  ) {}

  @Post()
  @RequirePermission('parents.write')
  @AllowApiKey('parents:enrol')
  @ApiOperation({
    summary: 'Enrol a parent (plans the invitations when the birth date is known); 409 on a duplicate',
  })
  @ApiResult('ParentDetail', { status: 201 })
  @ApiErrors(400, 401, 403, { 409: 'duplicate_parent: the same phone and child are already enrolled' })
  enrol(
    @Body() body: EnrolParentDto,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentDetail> {
    return this.parents.enrol(scope, body, user, audit);
  }

  @Get()
  @RequirePermission('parents.read')
  @AllowApiKey('parents:read')
  @ApiOperation({
    summary:
      'Parents of the organisation: search by phone or by the start of a first or last name (2 letters at least), status filter, paging',
  })
  @ApiResult('ParentListResponse')
  @ApiErrors(400, 401, 403)
  list(
    @Query() query: ListParentsQuery,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentListResponse> {
    return this.parents.list(scope, query, audit);
  }

  @Get(':id')
  @RequirePermission('parents.read')
  @AllowApiKey('parents:read')
  @ApiOperation({ summary: 'A parent with invitations and SMS (audited read)' })
  @ApiResult('ParentDetail')
  @ApiErrors(401, 403, 404)
  get(
    @Param('id', new UuidParamPipe('Parent')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentDetail> {
    return this.parents.get(scope, id, audit);
  }

  @Get(':id/history')
  @RequirePermission('parents.read')
  @ApiOperation({
    summary:
      'The parent’s score trend (role thresholds, next wave), what happened with who did it, and the SMS still planned (audited read)',
  })
  @ApiResult('ParentHistory')
  @ApiErrors(401, 403, 404)
  history(
    @Param('id', new UuidParamPipe('Parent')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentHistory> {
    return this.histories.history(scope, id, audit);
  }

  @Patch(':id')
  @RequirePermission('parents.write')
  @ApiOperation({
    summary: 'Correct a parent; recording the birth date of an antenatal enrolment plans the waves',
  })
  @ApiResult('ParentDetail')
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @Param('id', new UuidParamPipe('Parent')) id: string,
    @Body() body: UpdateParentDto,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentDetail> {
    return this.parents.update(scope, id, body, user, audit);
  }

  @Post(':id/withdraw')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('parents.write')
  @ApiOperation({ summary: 'Withdraw a parent: every pending invitation and SMS is cancelled' })
  @ApiResult('ParentDetail')
  @ApiErrors(401, 403, 404)
  withdraw(
    @Param('id', new UuidParamPipe('Parent')) id: string,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentDetail> {
    return this.parents.withdraw(scope, id, audit);
  }

  @Post(':id/household')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('parents.write')
  @ApiOperation({
    summary: 'Link another parent of the same birth to this parent’s household; 404 outside the organisation',
  })
  @ApiResult('ParentDetail')
  @ApiErrors(400, 401, 403, 404, {
    409: 'household_birth_mismatch, household_conflict (two households) or household_full (three parents at most)',
  })
  link(
    @Param('id', new UuidParamPipe('Parent')) id: string,
    @Body() body: LinkHouseholdDto,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<ParentDetail> {
    return this.households.linkHousehold(scope, id, body.parentId, audit);
  }

  @Post(':id/invitations')
  @RequirePermission('invitations.send')
  @ApiOperation({
    summary: 'Ad-hoc invitation, sent now or at the next allowed time; 409 if the parent is not active',
  })
  @ApiResult('AdhocInvitationResponse', { status: 201 })
  @ApiErrors(401, 403, 404, { 409: 'The parent is not active' })
  invite(
    @Param('id', new UuidParamPipe('Parent')) id: string,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<AdhocInvitationResponse> {
    return this.parents.sendAdhoc(scope, id, user, audit);
  }
}
