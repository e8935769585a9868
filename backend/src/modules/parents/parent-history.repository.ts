import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, MoreThanOrEqual } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity.js';
import { FollowUpEventEntity } from '../alerts/follow-up-event.entity.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ResponseEntity } from '../questionnaire/response.entity.js';
import { ReferralResourceEntity } from '../referrals/referral-resource.entity.js';
import { SmsMessageEntity } from '../sms/sms-message.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { ParentEntity } from './parent.entity.js';

/** Audit actions about a parent that no other row tells (who changed, linked, withdrew; STOP and START). */
export const HISTORY_AUDIT_ACTIONS = [
  'parent.update',
  'parent.household_link',
  'parent.withdraw',
  'parent.opt_out',
  'parent.opt_in',
] as const;

/** Every row a parent's history is made of, read within the organisation. */
export interface ParentHistoryRows {
  parent: ParentEntity;
  organisation: OrganisationEntity;
  invitations: InvitationEntity[];
  sms: SmsMessageEntity[];
  responses: ResponseEntity[];
  alerts: AlertEntity[];
  events: FollowUpEventEntity[];
  audit: AuditEventEntity[];
  /** Display names of the people who acted (and of assignees). */
  people: Map<string, string>;
  /** Names of the referral directory entries referred to. */
  resources: Map<string, string>;
}

@Injectable()
export class ParentHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Null when the organisation has no such parent. */
  async rowsOf(organisationId: string, parentId: string): Promise<ParentHistoryRows | null> {
    const db = this.dataSource.manager;
    const parent = await db.findOneBy(ParentEntity, { id: parentId, organisationId });
    if (!parent) return null;
    const where = { parentId, organisationId };
    const [organisation, invitations, sms, responses, alerts, events, audit] = await Promise.all([
      db.findOneByOrFail(OrganisationEntity, { id: organisationId }),
      db.find(InvitationEntity, { where, order: { dueAt: 'ASC' } }),
      db.find(SmsMessageEntity, { where, order: { dueAt: 'ASC' } }),
      db.find(ResponseEntity, { where, order: { createdAt: 'ASC' } }),
      db.find(AlertEntity, { where, order: { createdAt: 'ASC' } }),
      db.find(FollowUpEventEntity, { where, order: { createdAt: 'ASC' } }),
      // By action (indexed with the time) from the enrolment on: never a scan of the organisation's reads.
      db.find(AuditEventEntity, {
        where: {
          action: In([...HISTORY_AUDIT_ACTIONS]),
          createdAt: MoreThanOrEqual(parent.createdAt),
          organisationId,
          targetType: 'parent',
          targetId: parentId,
        },
        order: { createdAt: 'ASC' },
      }),
    ]);
    const personIds = new Set<string>([parent.consentRecordedBy]);
    for (const invitation of invitations) if (invitation.createdBy) personIds.add(invitation.createdBy);
    for (const event of events) {
      if (event.actorId) personIds.add(event.actorId);
      const assignee = event.payload['assigneeId'];
      if (typeof assignee === 'string') personIds.add(assignee);
    }
    for (const row of audit) if (row.actorId) personIds.add(row.actorId);
    const resourceIds = events
      .map((event) => event.payload['resourceId'])
      .filter((id): id is string => typeof id === 'string');
    const [people, resources] = await Promise.all([
      db.find(UserEntity, {
        // The organisation's people, and platform staff (no organisation) who may have acted for it.
        where: [
          { id: In([...personIds]), organisationId },
          { id: In([...personIds]), organisationId: IsNull() },
        ],
        select: { id: true, displayName: true },
      }),
      resourceIds.length === 0
        ? Promise.resolve([])
        : db.find(ReferralResourceEntity, {
            where: { id: In(resourceIds), organisationId },
            select: { id: true, name: true },
          }),
    ]);
    return {
      parent,
      organisation,
      invitations,
      sms,
      responses,
      alerts,
      events,
      audit,
      people: new Map(people.map((person) => [person.id, person.displayName])),
      resources: new Map(resources.map((resource) => [resource.id, resource.name])),
    };
  }
}
