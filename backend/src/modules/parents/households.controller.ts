import { Body } from '@nestjs/common';
import type { HouseholdResponse, InviteOtherParentResponse } from '@lien/shared';
import { OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
import { EnrolHouseholdDto, InviteOtherParentDto } from './dto/household.dto.js';
import { HouseholdsService } from './households.service.js';

@ApiController('parents', 'api/households')
export class HouseholdsController {
  constructor(private readonly households: HouseholdsService) {}

  @Route('POST', 'parents.write', {
    summary:
      'Enrol the parents of one birth together (each with their own phone, language and consent), in one transaction',
    errors: [400, { 409: 'duplicate_parent: one of the parents is already enrolled for this child' }],
    result: 'HouseholdResponse',
  })
  enrol(
    @Body() body: EnrolHouseholdDto,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<HouseholdResponse> {
    return this.households.enrolHousehold(scope, body.parents, user, audit);
  }
}

/** From an alert on one parent, the other parent of the birth: invited now, or enrolled into the household. */
@ApiController('alerts', 'api/alerts')
export class AlertOtherParentController {
  constructor(private readonly households: HouseholdsService) {}

  @Route('POST :id/other-parent', 'parents.write', {
    status: 200,
    summary:
      'Invite the other parent of the alerted parent’s household now (ad hoc), or enrol them (body `parent`) into it',
    errors: [
      400,
      404,
      { 409: 'other_parent_enrolled (invite them without `parent`), parent_not_active or duplicate_parent' },
    ],
    result: 'InviteOtherParentResponse',
  })
  invite(
    @IdParam('Alert') id: string,
    @Body() body: InviteOtherParentDto,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<InviteOtherParentResponse> {
    return this.households.inviteOtherParent(scope, id, body.parent, user, audit);
  }
}
