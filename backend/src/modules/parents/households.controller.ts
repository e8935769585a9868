import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HouseholdResponse } from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import type { AuditContext } from '../audit/audit.service.js';
import { EnrolHouseholdDto } from './dto/household.dto.js';
import { ParentsService } from './parents.service.js';

@ApiTags('parents')
@ApiBearerAuth()
@Controller('api/households')
export class HouseholdsController {
  constructor(private readonly parents: ParentsService) {}

  @Post()
  @RequirePermission('parents.write')
  @ApiOperation({
    summary:
      'Enrol the parents of one birth together (each with their own phone, language and consent), in one transaction',
  })
  enrol(
    @Body() body: EnrolHouseholdDto,
    @CurrentUser() user: AuthUser,
    @CurrentOrg() scope: OrgScope,
    @Audit() audit: AuditContext,
  ): Promise<HouseholdResponse> {
    return this.parents.enrolHousehold(body.parents, user, scope.organisationId, audit);
  }
}
