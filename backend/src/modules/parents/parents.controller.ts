import { Body, Query } from '@nestjs/common';
import type { AdhocInvitationResponse, ParentDetail, ParentHistory, ParentListResponse } from '@lien/shared';
import { OrgCaller } from '../../common/auth/decorators.js';
import { ApiController, IdParam, Route } from '../../common/route.js';
import { LinkHouseholdDto } from './dto/household.dto.js';
import { EnrolParentDto, ListParentsQuery, UpdateParentDto } from './dto/parent.dto.js';
import { HouseholdsService } from './households.service.js';
import { ParentHistoryService } from './parent-history.service.js';
import { ParentsService } from './parents.service.js';

@ApiController('parents', 'api/parents')
export class ParentsController {
  constructor(
    private readonly parents: ParentsService,
    private readonly histories: ParentHistoryService,
    private readonly households: HouseholdsService,
  ) {}

  @Route('POST', 'parents.write', {
    apiKey: 'parents:enrol',
    summary: 'Enrol a parent (plans the invitations when the birth date is known); 409 on a duplicate',
    errors: [400, { 409: 'duplicate_parent: the same phone and child are already enrolled' }],
    result: 'ParentDetail',
  })
  enrol(@Body() body: EnrolParentDto, @OrgCaller() { scope, user, audit }: OrgCaller): Promise<ParentDetail> {
    return this.parents.enrol(scope, body, user, audit);
  }

  @Route('GET', 'parents.read', {
    apiKey: 'parents:read',
    summary:
      'Parents of the organisation: search by phone or by the start of a first or last name (2 letters at least), status filter, paging',
    errors: [400],
    result: 'ParentListResponse',
  })
  list(
    @Query() query: ListParentsQuery,
    @OrgCaller() { scope, audit }: OrgCaller,
  ): Promise<ParentListResponse> {
    return this.parents.list(scope, query, audit);
  }

  @Route('GET :id', 'parents.read', {
    apiKey: 'parents:read',
    summary: 'A parent with invitations and SMS (audited read)',
    errors: [404],
    result: 'ParentDetail',
  })
  get(@IdParam('Parent') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<ParentDetail> {
    return this.parents.get(scope, id, audit);
  }

  @Route('GET :id/history', 'parents.read', {
    summary:
      'The parent’s score trend (role thresholds, next wave), what happened with who did it, and the SMS still planned (audited read)',
    errors: [404],
    result: 'ParentHistory',
  })
  history(@IdParam('Parent') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<ParentHistory> {
    return this.histories.history(scope, id, audit);
  }

  @Route('PATCH :id', 'parents.write', {
    summary: 'Correct a parent; recording the birth date of an antenatal enrolment plans the waves',
    errors: [400, 404, 409],
    result: 'ParentDetail',
  })
  update(
    @IdParam('Parent') id: string,
    @Body() body: UpdateParentDto,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<ParentDetail> {
    return this.parents.update(scope, id, body, user, audit);
  }

  @Route('POST :id/withdraw', 'parents.write', {
    status: 200,
    summary: 'Withdraw a parent: every pending invitation and SMS is cancelled',
    errors: [404],
    result: 'ParentDetail',
  })
  withdraw(@IdParam('Parent') id: string, @OrgCaller() { scope, audit }: OrgCaller): Promise<ParentDetail> {
    return this.parents.withdraw(scope, id, audit);
  }

  @Route('POST :id/household', 'parents.write', {
    status: 200,
    summary: 'Link another parent of the same birth to this parent’s household; 404 outside the organisation',
    errors: [
      400,
      404,
      {
        409: 'household_birth_mismatch, household_conflict (two households) or household_full (three parents at most)',
      },
    ],
    result: 'ParentDetail',
  })
  link(
    @IdParam('Parent') id: string,
    @Body() body: LinkHouseholdDto,
    @OrgCaller() { scope, audit }: OrgCaller,
  ): Promise<ParentDetail> {
    return this.households.linkHousehold(scope, id, body.parentId, audit);
  }

  @Route('POST :id/invitations', 'invitations.send', {
    summary: 'Ad-hoc invitation, sent now or at the next allowed time; 409 if the parent is not active',
    errors: [404, { 409: 'The parent is not active' }],
    result: 'AdhocInvitationResponse',
  })
  invite(
    @IdParam('Parent') id: string,
    @OrgCaller() { scope, user, audit }: OrgCaller,
  ): Promise<AdhocInvitationResponse> {
    return this.parents.sendAdhoc(scope, id, user, audit);
  }
}
