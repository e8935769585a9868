import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, RequirePermission } from '../../common/auth/decorators.js';
import { Audit } from '../../common/auth/request-context.js';
import { scopeOf } from '../../common/auth/scope.js';
import { UuidParamPipe } from '../../common/auth/uuid-param.pipe.js';
import type { AuditContext } from '../audit/audit.service.js';
import { ApiErrors, ApiResult, ApiResultEmpty } from '../../common/openapi.js';
import { ReferralsQueryDto } from './dto/referrals-query.dto.js';
import { ReferralsService, type ReferralResourceView } from './referrals.service.js';

const EXAMPLE = {
  organisationId: '7d1c2a4e-0b7e-4f7a-9a51-2f6f3c1d9e10',
  name: 'CMP Arras',
  kind: 'cmp',
  address: '1 rue de la Paix, 62000 Arras',
  phone: '03 21 00 00 00',
  languages: ['fr', 'en'],
  acceptsNewPatients: true,
  usualDelayDays: 21,
};

/**
 * The referral directory. The caller's scope decides which organisations' entries exist for them: their own
 * (professionals read, org admins keep) or their territory's (coordinators keep); anything else is a 404.
 */
@ApiTags('referrals')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/referral-resources')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get()
  @RequirePermission('referrals.read')
  @ApiOperation({
    summary: 'The directory entries the caller reaches (own organisation, or the territory’s), by name',
  })
  @ApiResult('ReferralResourceView', { isArray: true })
  @ApiErrors(400, 404)
  list(@CurrentUser() user: AuthUser, @Query() query: ReferralsQueryDto): Promise<ReferralResourceView[]> {
    return this.referrals.list(scopeOf(user), query.organisationId);
  }

  @Get(':id')
  @RequirePermission('referrals.read')
  @ApiOperation({ summary: 'One directory entry' })
  @ApiResult('ReferralResourceView')
  @ApiErrors(400, 404)
  get(
    @CurrentUser() user: AuthUser,
    @Param('id', new UuidParamPipe('Referral resource')) id: string,
  ): Promise<ReferralResourceView> {
    return this.referrals.get(scopeOf(user), id);
  }

  @Post()
  @RequirePermission('referrals.manage')
  @ApiOperation({
    summary:
      'Add a resource to a directory; `organisationId` required for coordinators (their territory), ' +
      'optional for org admins (their own); 400 names each invalid field',
  })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  @ApiResult('ReferralResourceView', { status: 201 })
  @ApiErrors(400, 404)
  create(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @Audit() audit: AuditContext,
  ): Promise<ReferralResourceView> {
    return this.referrals.create(scopeOf(user), body, audit);
  }

  @Patch(':id')
  @RequirePermission('referrals.manage')
  @ApiOperation({ summary: 'Correct a directory entry (org admin, or coordinator of its territory)' })
  @ApiBody({ schema: { type: 'object', example: { acceptsNewPatients: false, usualDelayDays: 60 } } })
  @ApiResult('ReferralResourceView')
  @ApiErrors(400, 404)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new UuidParamPipe('Referral resource')) id: string,
    @Body() body: unknown,
    @Audit() audit: AuditContext,
  ): Promise<ReferralResourceView> {
    return this.referrals.update(scopeOf(user), id, body, audit);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequirePermission('referrals.manage')
  @ApiOperation({ summary: 'Remove a directory entry; past referrals keep its id' })
  @ApiResultEmpty(204, 'Removed')
  @ApiErrors(400, 404)
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('id', new UuidParamPipe('Referral resource')) id: string,
    @Audit() audit: AuditContext,
  ): Promise<void> {
    await this.referrals.remove(scopeOf(user), id, audit);
  }
}
