import { Injectable } from '@nestjs/common';
import {
  DEFAULT_ORGANISATION_SETTINGS,
  EPDS_MAX_SCORE,
  NO_HISTORY_DETAILS,
  type AlertReason,
  type AlertSeverity,
  type CloseOutcome,
  type ContactChannel,
  type ContactOutcome,
  type HistoryActor,
  type ParentHistory,
  type ParentHistoryEvent,
  type ParentHistoryKind,
  type PlannedSms,
  type ReferralTarget,
} from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { notFound } from '../../common/errors.js';
import { openPayload } from '../alerts/follow-up-notes.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { ParentHistoryRepository, type ParentHistoryRows } from './parent-history.repository.js';

/** Follow-up event types and the history line each makes; absent: told by another line already. */
const FOLLOW_UP_KINDS: Partial<Record<string, ParentHistoryKind>> = {
  // 'created' is the alert line itself and 'response_added' the response line: not repeated; the paging
  // deliveries (page_sent, page_failed, page_fallback) are details of the 'paged' line, on the alert page.
  contact_requested: 'contact_requested',
  severity_raised: 'severity_raised',
  no_response: 'no_response',
  escalated: 'escalated',
  sms_undelivered: 'sms_undelivered',
  sms_resolved: 'sms_resolved',
  paged: 'paged',
  page_acknowledged: 'page_acknowledged',
  acknowledge: 'acknowledged',
  assign: 'assigned',
  note: 'note',
  contact_attempt: 'contact_attempt',
  referral: 'referral',
  in_care: 'in_care',
  close: 'closed',
};

const AUDIT_KINDS: Record<string, ParentHistoryKind> = {
  'parent.update': 'updated',
  'parent.household_link': 'household_linked',
  'parent.withdraw': 'withdrawn',
  'parent.opt_out': 'opted_out',
  'parent.opt_in': 'opted_in',
};

/** Same instant: the order things happen in (a response before its alert, an alert before its follow-up). */
const KIND_ORDER: Record<ParentHistoryKind, number> = {
  enrolled: 0,
  updated: 1,
  household_linked: 1,
  adhoc_invitation: 2,
  sms: 3,
  opened: 4,
  response: 5,
  expired: 6,
  alert: 7,
  contact_requested: 8,
  severity_raised: 8,
  no_response: 8,
  escalated: 8,
  sms_undelivered: 8,
  sms_resolved: 8,
  paged: 8,
  page_acknowledged: 9,
  acknowledged: 9,
  assigned: 10,
  note: 10,
  contact_attempt: 10,
  referral: 10,
  in_care: 10,
  closed: 11,
  withdrawn: 12,
  opted_out: 12,
  opted_in: 12,
};

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/**
 * A parent's history from its rows (pure): the score trend across waves against the role's thresholds, what
 * happened (oldest first, one line per fact, with who did it) and, apart, the SMS still waiting for their time.
 */
export function buildHistory(
  rows: ParentHistoryRows,
  openNote: (event: ParentHistoryRows['events'][number]) => Record<string, unknown>,
): ParentHistory {
  const { parent } = rows;
  const person = (id: string | null | undefined): HistoryActor | null =>
    id ? { id, name: rows.people.get(id) ?? '' } : null;
  const events: ParentHistoryEvent[] = [
    {
      ...NO_HISTORY_DETAILS,
      id: `enrolled:${parent.id}`,
      // The moment consent was recorded is the enrolment's (the row's own stamp is the database's clock).
      at: parent.consentRecordedAt.toISOString(),
      kind: 'enrolled',
      actor: person(parent.consentRecordedBy),
    },
  ];
  const waveOf = new Map(rows.invitations.map((invitation) => [invitation.id, invitation.wave]));
  for (const invitation of rows.invitations) {
    // Waves planned at enrolment are part of the enrolment line; an ad-hoc one is someone's act.
    if (invitation.wave === 'adhoc')
      events.push({
        ...NO_HISTORY_DETAILS,
        id: `adhoc:${invitation.id}`,
        at: invitation.createdAt.toISOString(),
        kind: 'adhoc_invitation',
        actor: person(invitation.createdBy),
        wave: invitation.wave,
      });
    if (invitation.openedAt)
      events.push({
        ...NO_HISTORY_DETAILS,
        id: `opened:${invitation.id}`,
        at: invitation.openedAt.toISOString(),
        kind: 'opened',
        wave: invitation.wave,
      });
    if (invitation.status === 'expired')
      events.push({
        ...NO_HISTORY_DETAILS,
        id: `expired:${invitation.id}`,
        at: (invitation.expiresAt ?? invitation.updatedAt).toISOString(),
        kind: 'expired',
        wave: invitation.wave,
      });
  }
  const planned: PlannedSms[] = [];
  for (const sms of rows.sms) {
    if (sms.status === 'pending') {
      planned.push({
        id: sms.id,
        kind: sms.kind,
        wave: waveOf.get(sms.invitationId) ?? '',
        dueAt: sms.dueAt.toISOString(),
        deferredFrom: sms.deferredFrom?.toISOString() ?? null,
      });
      continue;
    }
    // A cancelled SMS never left: the withdrawal or STOP line says why.
    if (sms.status === 'cancelled') continue;
    const last = sms.statusHistory.at(-1);
    events.push({
      ...NO_HISTORY_DETAILS,
      id: `sms:${sms.id}`,
      at: last?.at ?? (sms.sentAt ?? sms.lastAttemptAt ?? sms.dueAt).toISOString(),
      kind: 'sms',
      wave: waveOf.get(sms.invitationId) ?? null,
      sms: { kind: sms.kind, status: sms.status, errorCode: sms.errorCode },
    });
  }
  for (const response of rows.responses)
    events.push({
      ...NO_HISTORY_DETAILS,
      id: `response:${response.id}`,
      at: response.createdAt.toISOString(),
      kind: 'response',
      wave: response.wave,
      alertId: response.alertId,
      result: {
        score: response.score,
        band: response.band,
        item10Positive: response.item10Positive,
        anxietyFlag: response.anxietyFlag,
      },
    });
  // The alert line tells the alert as it was raised (its 'created' event); a later raise has its own line.
  const raised = new Map(
    rows.events.filter((event) => event.type === 'created').map((event) => [event.alertId, event.payload]),
  );
  for (const alert of rows.alerts) {
    const created = raised.get(alert.id);
    const reasons = created?.['reasons'];
    events.push({
      ...NO_HISTORY_DETAILS,
      id: `alert:${alert.id}`,
      at: alert.createdAt.toISOString(),
      kind: 'alert',
      alertId: alert.id,
      severity: (text(created?.['severity']) as AlertSeverity | null) ?? alert.severity,
      reasons: Array.isArray(reasons) ? (reasons as AlertReason[]) : [...alert.reasons],
    });
  }
  for (const event of rows.events) {
    const kind = FOLLOW_UP_KINDS[event.type];
    if (!kind) continue;
    const payload = openNote(event);
    const resourceId = text(payload['resourceId']);
    events.push({
      ...NO_HISTORY_DETAILS,
      id: `follow_up:${event.id}`,
      at: event.createdAt.toISOString(),
      kind,
      actor: person(event.actorId),
      alertId: event.alertId,
      severity: kind === 'severity_raised' ? ((text(payload['to']) as AlertSeverity | null) ?? null) : null,
      contact:
        kind === 'contact_attempt'
          ? {
              outcome: payload['outcome'] as ContactOutcome,
              channel: payload['channel'] as ContactChannel,
            }
          : null,
      referral:
        kind === 'referral'
          ? {
              to: payload['referredTo'] as ReferralTarget,
              resourceName: resourceId ? (rows.resources.get(resourceId) ?? null) : null,
            }
          : null,
      careStartedOn: kind === 'in_care' ? text(payload['careStartedOn']) : null,
      closeOutcome: kind === 'closed' ? (text(payload['outcome']) as CloseOutcome | null) : null,
      assignee: kind === 'assigned' ? person(text(payload['assigneeId'])) : null,
      note: text(payload[event.type === 'note' ? 'text' : 'note']),
    });
  }
  for (const row of rows.audit) {
    const kind = AUDIT_KINDS[row.action];
    if (!kind) continue;
    const fields = row.metadata['fields'];
    events.push({
      ...NO_HISTORY_DETAILS,
      id: `audit:${row.id}`,
      at: row.createdAt.toISOString(),
      kind,
      actor: person(row.actorId),
      fields: kind === 'updated' && Array.isArray(fields) ? fields.map(String) : null,
    });
  }
  events.sort((a, b) => a.at.localeCompare(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  planned.sort((a, b) => a.dueAt.localeCompare(b.dueAt));

  const thresholds =
    rows.organisation.settings?.thresholds?.[parent.role] ??
    DEFAULT_ORGANISATION_SETTINGS.thresholds[parent.role];
  const next = rows.invitations
    .filter((invitation) => invitation.status === 'planned')
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  return {
    parentId: parent.id,
    trend: {
      role: parent.role,
      thresholds: { moderate: thresholds.moderate, high: thresholds.high },
      maxScore: EPDS_MAX_SCORE,
      points: rows.responses.map((response) => ({
        wave: response.wave,
        score: response.score,
        band: response.band,
        at: response.createdAt.toISOString(),
      })),
      next: next ? { wave: next.wave, dueAt: next.dueAt.toISOString() } : null,
    },
    events,
    planned,
  };
}

/** `GET /api/parents/:id/history`: one audited read of a named parent's story. */
@Injectable()
export class ParentHistoryService {
  constructor(
    private readonly repository: ParentHistoryRepository,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditService,
  ) {}

  async history(scope: OrgScope, parentId: string, context: AuditContext): Promise<ParentHistory> {
    const rows = await this.repository.rowsOf(scope.organisationId, parentId);
    if (!rows) throw notFound('Parent');
    await this.audit.record(context, {
      action: 'parent.read',
      targetType: 'parent',
      targetId: parentId,
      metadata: { view: 'history' },
    });
    return buildHistory(rows, (event) => openPayload(event, this.encryption));
  }
}
