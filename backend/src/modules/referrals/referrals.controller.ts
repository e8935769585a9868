import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { CurrentOrg, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import { ApiErrors, ApiResult, ApiResultEmpty } from '../../common/openapi.js';
import { ReferralResourceViewResponse } from './dto/referrals.responses.js';
import { ReferralsService, type ReferralResourceView } from './referrals.service.js';

const EXAMPLE = {
  name: 'CMP Arras',
  kind: 'cmp',
  address: '1 rue de la Paix, 62000 Arras',
  phone: '03 21 00 00 00',
  languages: ['fr', 'en'],
  acceptsNewPatients: true,
  usualDelayDays: 21,
};

@ApiTags('referrals')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/referral-resources')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get()
  @RequirePermission('organisation.settings.read')
  @ApiOperation({ summary: 'The organisation’s referral directory, by name' })
  @ApiResult(ReferralResourceViewResponse, { isArray: true })
  list(@CurrentOrg() scope: OrgScope): Promise<ReferralResourceView[]> {
    return this.referrals.list(scope.organisationId);
  }

  @Get(':id')
  @RequirePermission('organisation.settings.read')
  @ApiOperation({ summary: 'One directory entry' })
  @ApiResult(ReferralResourceViewResponse)
  @ApiErrors(400, 404)
  get(
    @CurrentOrg() scope: OrgScope,
    @Param('id', new UuidParamPipe('Referral resource')) id: string,
  ): Promise<ReferralResourceView> {
    return this.referrals.get(scope.organisationId, id);
  }

  @Post()
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'Add a resource to the directory (org admin); 400 names each invalid field' })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  @ApiResult(ReferralResourceViewResponse, { status: 201 })
  @ApiErrors(400)
  create(
    @CurrentOrg() scope: OrgScope,
    @Body() body: unknown,
    @Audit() audit: AuditContext,
  ): Promise<ReferralResourceView> {
    return this.referrals.create(scope.organisationId, body, audit);
  }

  @Patch(':id')
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'Correct a directory entry (org admin)' })
  @ApiBody({ schema: { type: 'object', example: { acceptsNewPatients: false, usualDelayDays: 60 } } })
  @ApiResult(ReferralResourceViewResponse)
  @ApiErrors(400, 404)
  update(
    @CurrentOrg() scope: OrgScope,
    @Param('id', new UuidParamPipe('Referral resource')) id: string,
    @Body() body: unknown,
    @Audit() audit: AuditContext,
  ): Promise<ReferralResourceView> {
    return this.referrals.update(scope.organisationId, id, body, audit);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('organisation.settings.write')
  @ApiOperation({ summary: 'Remove a directory entry (org admin); past referrals keep its id' })
  @ApiResultEmpty(204, 'Removed')
  @ApiErrors(400, 404)
  async remove(
    @CurrentOrg() scope: OrgScope,
    @Param('id', new UuidParamPipe('Referral resource')) id: string,
    @Audit() audit: AuditContext,
  ): Promise<void> {
    await this.referrals.remove(scope.organisationId, id, audit);
  }
}
