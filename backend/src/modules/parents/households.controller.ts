import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HouseholdResponse, InviteOtherParentResponse } from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import type { AuditContext } from '../audit/audit.service.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import { ApiErrors, ApiResult } from '../../common/openapi.js';
import { EnrolHouseholdDto, InviteOtherParentDto } from './dto/household.dto.js';
import { HouseholdsService } from './households.service.js';

@ApiTags('parents')
@ApiBearerAuth()
@Controller('api/households')
export class HouseholdsController {
  constructor(private readonly households: HouseholdsService) {}

  @Post()
  @RequirePermission('parents.write')
  @ApiOperation({
    summary:
      'Enrol the parents of one birth together (each with their own phone, language and consent), in one transaction',
  })
  @ApiResult('HouseholdResponse', { status: 201 })
  @ApiErrors(400, 401, 403, {
    409: 'duplicate_parent: one of the parents is already enrolled for this child',
  })
  enrol(
    @Body() body: EnrolHouseholdDto,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<HouseholdResponse> {
    return this.households.enrolHousehold(scope, body.parents, user, audit);
  }
}

/** From an alert on one parent, the other parent of the birth: invited now, or enrolled into the household. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertOtherParentController {
  constructor(private readonly households: HouseholdsService) {}

  @Post(':id/other-parent')
  @HttpCode(HttpStatus.OK)
  @RequirePermission('parents.write')
  @ApiOperation({
    summary:
      'Invite the other parent of the alerted parent’s household now (ad hoc), or enrol them (body `parent`) into it',
  })
  @ApiResult('InviteOtherParentResponse')
  @ApiErrors(400, 401, 403, 404, {
    409: 'other_parent_enrolled (invite them without `parent`), parent_not_active or duplicate_parent',
  })
  invite(
    @Param('id', new UuidParamPipe('Alert')) id: string,
    @Body() body: InviteOtherParentDto,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<InviteOtherParentResponse> {
    return this.households.inviteOtherParent(scope, id, body.parent, user, audit);
  }
}
