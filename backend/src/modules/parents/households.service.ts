import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HouseholdResponse, InviteOtherParentResponse, ParentDetail } from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { conflict, notFound } from '../../common/errors.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { SmsQueueService } from '../sms/sms-queue.service.js';
import type { EnrolParentDto } from './dto/parent.dto.js';
import { duplicate, FieldProblems, invalidField, MAX_HOUSEHOLD_PARENTS, sameBirth } from './parent-input.js';
import { ParentOrganisations } from './parent-organisations.service.js';
import {
  detailView,
  enrolledEntity,
  freshHouseholdMember,
  plannedFrom,
  plannedRows,
} from './parent-views.js';
import { ParentsRepository, type InsertedEnrolment } from './parents.repository.js';
import { ParentsService, type PreparedEnrolment } from './parents.service.js';

/**
 * The parents of one birth: enrolled together, linked afterwards, or the other parent reached from an alert on
 * one of them. Each parent goes through the single enrolment's rules (ParentsService); their answers stay theirs.
 */
@Injectable()
export class HouseholdsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ParentsRepository,
    private readonly organisations: ParentOrganisations,
    private readonly parents: ParentsService,
    private readonly queue: SmsQueueService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * The parents of one birth (mother and father/co-parent) enrolled in one transaction, each through the same
   * validation, duplicate detection, consent record and wave planning as a single enrolment, then linked as a
   * household. Problems are named per parent (`parents[1].phone`); a duplicate of either enrols neither.
   */
  async enrolHousehold(
    scope: OrgScope,
    dtos: readonly EnrolParentDto[],
    user: AuthUser,
    context: AuditContext,
  ): Promise<HouseholdResponse> {
    const { organisationId } = scope;
    const organisation = await this.organisations.get(scope);
    const now = this.clock.now();
    const problems = new FieldProblems();
    const prepared: PreparedEnrolment[] = [];
    for (const [index, dto] of dtos.entries()) {
      const one = await this.parents.prepareEnrolment(
        organisation,
        dto,
        user,
        now,
        problems,
        context,
        `parents[${index}].`,
      );
      if (one) prepared.push(one);
    }
    problems.throwIfAny();
    const first = prepared[0]!;
    prepared.slice(1).forEach((other, offset) => {
      const index = offset + 1;
      if (prepared.slice(0, index).some((earlier) => earlier.values.phoneIndex === other.values.phoneIndex))
        problems.add(
          `parents[${index}].phone`,
          'must differ from the other parent’s (each parent has their own)',
        );
      if (
        other.values.birthDate !== first.values.birthDate ||
        other.values.expectedTermDate !== first.values.expectedTermDate
      )
        problems.add(
          `parents[${index}].${other.values.birthDate ? 'birthDate' : 'expectedTermDate'}`,
          'must be the same birth as the first parent’s',
        );
    });
    problems.throwIfAny();
    const householdId = randomUUID();
    const inserted = await this.dataSource.transaction(async (manager) => {
      for (const one of prepared) {
        await this.repository.lockPhone(manager, organisationId, one.values.phoneIndex);
        const existing = await this.repository.findDuplicate(
          organisationId,
          one.values.phoneIndex,
          one.values,
          null,
          manager,
        );
        if (existing) throw duplicate(existing);
      }
      const rows = await this.repository.insertHouseholdEnrolments(
        manager,
        prepared.map((one) => ({
          values: one.values,
          waves: one.waves,
          audit: { ...one.audit, metadata: { ...one.audit.metadata, householdId } },
        })),
      );
      if (rows.some((row) => row === null)) throw duplicate(null);
      await this.repository.setHousehold(
        manager,
        organisationId,
        householdId,
        rows.map((row) => row!.id),
      );
      return rows as InsertedEnrolment[];
    });
    const planned = prepared.map((one, index) => plannedFrom(one.waves, inserted[index]!));
    await this.queue.enqueue(planned.flat().map((p) => p.sms));
    const parents = prepared.map((one, index) => {
      const parent = Object.assign(enrolledEntity(one.values, inserted[index]!), { householdId });
      return detailView(parent, one.clear, plannedRows(planned[index]!));
    });
    // Each parent's view lists the others (freshly enrolled: no answer yet).
    for (const parent of parents)
      parent.household = parents.filter((other) => other.id !== parent.id).map(freshHouseholdMember);
    return { householdId, parents };
  }

  /**
   * Links another parent of the same organisation and birth to this parent's household (creating it). A parent
   * of another organisation is not found (404); parents already in two different households are refused (409).
   */
  async linkHousehold(
    scope: OrgScope,
    id: string,
    otherId: string,
    context: AuditContext,
  ): Promise<ParentDetail> {
    const { organisationId } = scope;
    if (id === otherId) throw invalidField('parentId', 'must be another parent');
    await this.dataSource.transaction(async (manager) => {
      // Locked in id order, so two links of the same pair made at once cannot deadlock.
      const [firstId, secondId] = [id, otherId].sort();
      const first = await this.repository.lockById(manager, firstId!, organisationId);
      const second = await this.repository.lockById(manager, secondId!, organisationId);
      if (!first || !second) throw notFound('Parent');
      if (!sameBirth(first, second)) {
        throw conflict('household_birth_mismatch', 'These parents are not recorded for the same birth', {
          parentId: otherId,
        });
      }
      if (first.householdId && second.householdId && first.householdId !== second.householdId) {
        throw conflict('household_conflict', 'These parents already belong to two different households', {
          parentId: otherId,
        });
      }
      const householdId = first.householdId ?? second.householdId ?? randomUUID();
      const joining = [first, second].filter((parent) => parent.householdId !== householdId).length;
      const members = await this.repository.householdSize(manager, organisationId, householdId);
      if (members + joining > MAX_HOUSEHOLD_PARENTS) {
        throw conflict('household_full', `A household has at most ${MAX_HOUSEHOLD_PARENTS} parents`, {
          parentId: otherId,
        });
      }
      await this.repository.setHousehold(manager, organisationId, householdId, [id, otherId]);
      await this.audit.record(
        context,
        {
          action: 'parent.household_link',
          targetType: 'parent',
          targetId: id,
          metadata: { householdId, parentId: otherId },
        },
        manager,
      );
    });
    return this.parents.get(scope, id, context);
  }

  /**
   * From an alert on one parent: the other parent of the household gets an ad-hoc invitation now; when there is
   * none yet, `dto` enrols them (same birth, own phone and consent) into the alerted parent's household.
   */
  async inviteOtherParent(
    scope: OrgScope,
    alertId: string,
    dto: EnrolParentDto | undefined,
    user: AuthUser,
    context: AuditContext,
  ): Promise<InviteOtherParentResponse> {
    const { organisationId } = scope;
    const parentId = await this.repository.alertParentId(alertId, organisationId);
    const parent = parentId ? await this.repository.findById(parentId, organisationId) : null;
    if (!parent) throw notFound('Alert');
    const [other] = parent.householdId
      ? await this.repository.householdMembers(organisationId, parent.householdId, parent.id)
      : [];
    if (other) {
      if (dto)
        throw conflict('other_parent_enrolled', 'The other parent is already enrolled: invite them instead', {
          parentId: other.id,
        });
      const { invitation } = await this.parents.sendAdhoc(scope, other.id, user, context);
      await this.audit.record(context, {
        action: 'alert.invite_other_parent',
        targetType: 'alert',
        targetId: alertId,
        metadata: { parentId: other.id, invitationId: invitation.id },
      });
      return { parentId: other.id, enrolled: false, invitations: [invitation] };
    }
    if (!dto) throw invalidField('parent', 'is required: the other parent is not enrolled yet');
    const birthProbe = { birthDate: dto.birthDate ?? null, expectedTermDate: dto.expectedTermDate ?? null };
    if (!sameBirth(parent, birthProbe))
      throw invalidField(
        dto.birthDate ? 'parent.birthDate' : 'parent.expectedTermDate',
        'must be the birth of the alerted parent',
      );
    const enrolled = await this.parents.enrol(scope, dto, user, context);
    await this.linkHousehold(scope, parent.id, enrolled.id, context);
    await this.audit.record(context, {
      action: 'alert.invite_other_parent',
      targetType: 'alert',
      targetId: alertId,
      metadata: { parentId: enrolled.id, enrolled: true },
    });
    return { parentId: enrolled.id, enrolled: true, invitations: enrolled.invitations };
  }
}
