import { Body, Query } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { Caller, CurrentUser } from '../../common/auth/decorators.js';
import { scopeOf } from '../../common/auth/scope.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
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
@ApiController('referrals', 'api/referral-resources')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Route('GET', 'referrals.read', {
    summary: 'The directory entries the caller reaches (own organisation, or the territory’s), by name',
    errors: [400, 404],
    result: { schema: 'ReferralResourceView', isArray: true },
  })
  list(@CurrentUser() user: AuthUser, @Query() query: ReferralsQueryDto): Promise<ReferralResourceView[]> {
    return this.referrals.list(scopeOf(user), query.organisationId);
  }

  @Route('GET :id', 'referrals.read', {
    summary: 'One directory entry',
    errors: [400, 404],
    result: 'ReferralResourceView',
  })
  get(
    @CurrentUser() user: AuthUser,
    @IdParam('Referral resource') id: string,
  ): Promise<ReferralResourceView> {
    return this.referrals.get(scopeOf(user), id);
  }

  @Route('POST', 'referrals.manage', {
    summary:
      'Add a resource to a directory; `organisationId` required for coordinators (their territory), ' +
      'optional for org admins (their own); 400 names each invalid field',
    errors: [400, 404],
    result: 'ReferralResourceView',
  })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  create(@Caller() { user, audit }: Caller, @Body() body: unknown): Promise<ReferralResourceView> {
    return this.referrals.create(scopeOf(user), body, audit);
  }

  @Route('PATCH :id', 'referrals.manage', {
    summary: 'Correct a directory entry (org admin, or coordinator of its territory)',
    errors: [400, 404],
    result: 'ReferralResourceView',
  })
  @ApiBody({ schema: { type: 'object', example: { acceptsNewPatients: false, usualDelayDays: 60 } } })
  update(
    @Caller() { user, audit }: Caller,
    @IdParam('Referral resource') id: string,
    @Body() body: unknown,
  ): Promise<ReferralResourceView> {
    return this.referrals.update(scopeOf(user), id, body, audit);
  }

  @Route('DELETE :id', 'referrals.manage', {
    summary: 'Remove a directory entry; past referrals keep its id',
    errors: [400, 404],
    result: { noContent: 'Removed' },
  })
  async remove(@Caller() { user, audit }: Caller, @IdParam('Referral resource') id: string): Promise<void> {
    await this.referrals.remove(scopeOf(user), id, audit);
  }
}
