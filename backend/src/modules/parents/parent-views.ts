import type {
  HouseholdMember,
  InvitationSummary,
  NextInvitation,
  ParentDetail,
  ParentSummary,
} from '@lien/shared';
import type { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import type { PlannedInvitation } from '../invitations/invitation-planner.service.js';
import { ParentEntity } from './parent.entity.js';
import type {
  InsertedEnrolment,
  InvitationRow,
  NewParent,
  NextInvitationRow,
  ParentsRepository,
  PlannedWave,
} from './parents.repository.js';

/** How the parents room turns rows into the API's views (pure functions, no database). */

/** A parent's identity in clear. */
export interface ClearIdentity {
  firstName: string;
  lastName: string;
  phone: string;
}

export const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function clearIdentity(
  encryption: FieldEncryption,
  parent: Pick<ParentEntity, 'firstNameEnc' | 'lastNameEnc' | 'phoneEnc'>,
): ClearIdentity {
  return {
    firstName: encryption.decrypt(parent.firstNameEnc),
    lastName: encryption.decrypt(parent.lastNameEnc),
    phone: encryption.decrypt(parent.phoneEnc),
  };
}

export function summaryView(
  parent: ParentEntity,
  clear: ClearIdentity,
  next: NextInvitationRow | null,
): ParentSummary {
  const nextInvitation: NextInvitation | null = next
    ? {
        invitationId: next.invitationId,
        wave: next.wave,
        dueAt: next.dueAt.toISOString(),
        deferredFrom: iso(next.deferredFrom),
      }
    : null;
  return {
    id: parent.id,
    ...clear,
    role: parent.role,
    language: parent.language,
    status: parent.status,
    birthDate: parent.birthDate,
    expectedTermDate: parent.expectedTermDate,
    referentUserId: parent.referentUserId,
    createdAt: parent.createdAt.toISOString(),
    nextInvitation,
  };
}

export function detailView(
  parent: ParentEntity,
  clear: ClearIdentity,
  invitations: InvitationRow[],
  household: HouseholdMember[] = [],
): ParentDetail {
  const next = invitations
    .filter((i) => i.status === 'planned')
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  return {
    ...summaryView(
      parent,
      clear,
      next
        ? { invitationId: next.id, wave: next.wave, dueAt: next.dueAt, deferredFrom: next.deferredFrom }
        : null,
    ),
    consent: {
      recordedBy: parent.consentRecordedBy,
      recordedAt: parent.consentRecordedAt.toISOString(),
      textVersion: parent.consentTextVersion,
    },
    statusChangedAt: iso(parent.statusChangedAt),
    invitations: invitations.map(invitationSummary),
    householdId: parent.householdId ?? null,
    household,
  };
}

/** A freshly enrolled parent as another member of its household sees it (no answer yet). */
export function freshHouseholdMember(parent: ParentDetail): HouseholdMember {
  return {
    id: parent.id,
    firstName: parent.firstName,
    lastName: parent.lastName,
    role: parent.role,
    status: parent.status,
    invitations: parent.invitations.map((i) => ({
      wave: i.wave,
      status: i.status,
      dueAt: i.dueAt,
      completedAt: i.completedAt,
    })),
    results: [],
  };
}

/** The entity of a row just inserted by an enrolment. */
export function enrolledEntity(values: NewParent, inserted: InsertedEnrolment): ParentEntity {
  return Object.assign(new ParentEntity(), values, {
    id: inserted.id,
    status: 'active' as const,
    statusChangedAt: null,
    householdId: null,
    createdAt: inserted.createdAt,
    updatedAt: inserted.createdAt,
  });
}

/** The planned waves of an enrolment matched with the rows its statement inserted. */
export function plannedFrom(waves: readonly PlannedWave[], inserted: InsertedEnrolment): PlannedInvitation[] {
  return waves.map((wave) => {
    const row = inserted.invitations.find((invitation) => invitation.wave === wave.wave)!;
    return {
      id: row.id,
      wave: wave.wave,
      dueAt: wave.dueAt,
      deferredFrom: wave.deferredFrom,
      sms: { id: row.smsId, dueAt: wave.dueAt },
    };
  });
}

/** Freshly planned invitations as rows, without reading them back. */
export function plannedRows(planned: readonly PlannedInvitation[]): InvitationRow[] {
  return planned.map((p) => ({
    id: p.id,
    wave: p.wave,
    status: 'planned',
    dueAt: p.dueAt,
    deferredFrom: p.deferredFrom,
    sentAt: null,
    expiresAt: null,
    remindersSent: 0,
    completedAt: null,
    sms: [
      {
        id: p.sms.id,
        invitationId: p.id,
        kind: 'invitation',
        status: 'pending',
        dueAt: p.dueAt,
        deferredFrom: p.deferredFrom,
        sentAt: null,
        attempts: 0,
        segments: null,
        encoding: null,
        errorCode: null,
      },
    ],
  }));
}

export function invitationSummary(row: InvitationRow): InvitationSummary {
  return {
    id: row.id,
    wave: row.wave,
    status: row.status,
    dueAt: row.dueAt.toISOString(),
    deferredFrom: iso(row.deferredFrom),
    sentAt: iso(row.sentAt),
    expiresAt: iso(row.expiresAt),
    remindersSent: row.remindersSent,
    completedAt: iso(row.completedAt),
    sms: row.sms.map((sms) => ({
      id: sms.id,
      kind: sms.kind,
      status: sms.status,
      dueAt: sms.dueAt.toISOString(),
      deferredFrom: iso(sms.deferredFrom),
      sentAt: iso(sms.sentAt),
      attempts: sms.attempts,
      segments: sms.segments,
      encoding: sms.encoding,
      errorCode: sms.errorCode,
    })),
  };
}

/** Another parent of the household as shown beside a parent: waves and result bands, never answers nor scores. */
export function householdMemberView(
  member: ParentEntity,
  clear: ClearIdentity,
  summaries: Awaited<ReturnType<ParentsRepository['householdSummaries']>>,
): HouseholdMember {
  return {
    id: member.id,
    firstName: clear.firstName,
    lastName: clear.lastName,
    role: member.role,
    status: member.status,
    invitations: summaries.invitations
      .filter((row) => row.parentId === member.id)
      .map((row) => ({
        wave: row.wave,
        status: row.status,
        dueAt: row.dueAt.toISOString(),
        completedAt: iso(row.completedAt),
      })),
    results: summaries.results
      .filter((row) => row.parentId === member.id)
      .map((row) => ({ wave: row.wave, band: row.band, receivedAt: row.receivedAt.toISOString() })),
  };
}
