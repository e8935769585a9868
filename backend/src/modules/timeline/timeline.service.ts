import { Injectable } from '@nestjs/common';
import type { ParentTimeline, TimelineEntry } from '@lien/shared';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { notFound } from '../../common/errors.js';
import { openPayload } from '../alerts/follow-up-notes.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import { TimelineRepository, type ParentHistory } from './timeline.repository.js';

/** Same instant: the order things happen in (an invitation is planned before its SMS, a response before its alert). */
const KIND_ORDER: Record<TimelineEntry['kind'], number> = {
  enrolled: 0,
  invitation_planned: 1,
  sms: 2,
  invitation_opened: 3,
  response: 4,
  invitation_expired: 5,
  alert: 6,
  follow_up: 7,
};

/** Builds the chronological story of a parent from the rows (pure, testable). */
export function buildTimeline(history: ParentHistory, encryption: FieldEncryption): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { at: history.parent.createdAt.toISOString(), kind: 'enrolled', parentId: history.parent.id },
  ];
  for (const invitation of history.invitations) {
    entries.push({
      at: invitation.createdAt.toISOString(),
      kind: 'invitation_planned',
      invitationId: invitation.id,
      wave: invitation.wave,
      dueAt: invitation.dueAt.toISOString(),
      deferredFrom: invitation.deferredFrom?.toISOString() ?? null,
    });
    if (invitation.openedAt)
      entries.push({
        at: invitation.openedAt.toISOString(),
        kind: 'invitation_opened',
        invitationId: invitation.id,
        wave: invitation.wave,
      });
    if (invitation.status === 'expired') {
      entries.push({
        at: (invitation.expiresAt ?? invitation.updatedAt).toISOString(),
        kind: 'invitation_expired',
        invitationId: invitation.id,
        wave: invitation.wave,
        status: invitation.status,
      });
    }
  }
  for (const sms of history.sms) {
    entries.push({
      at: (sms.sentAt ?? sms.dueAt).toISOString(),
      kind: 'sms',
      invitationId: sms.invitationId,
      smsMessageId: sms.id,
      smsKind: sms.kind,
      status: sms.status,
      errorCode: sms.errorCode,
    });
  }
  for (const response of history.responses) {
    entries.push({
      at: response.createdAt.toISOString(),
      kind: 'response',
      responseId: response.id,
      invitationId: response.invitationId,
      wave: response.wave,
      score: response.score,
      band: response.band,
      item10Positive: response.item10Positive,
      anxietyFlag: response.anxietyFlag,
    });
  }
  for (const alert of history.alerts) {
    entries.push({
      at: alert.createdAt.toISOString(),
      kind: 'alert',
      alertId: alert.id,
      severity: alert.severity,
      reasons: [...alert.reasons],
    });
  }
  for (const event of history.events) {
    entries.push({
      at: event.createdAt.toISOString(),
      kind: 'follow_up',
      alertId: event.alertId,
      eventId: event.id,
      type: event.type,
      actorId: event.actorId,
      payload: openPayload(event, encryption),
    });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

@Injectable()
export class TimelineService {
  constructor(
    private readonly repository: TimelineRepository,
    private readonly audit: AuditService,
    private readonly encryption: FieldEncryption,
  ) {}

  async timeline(parentId: string, organisationId: string, context: AuditContext): Promise<ParentTimeline> {
    const history = await this.repository.historyOf(parentId, organisationId);
    if (!history) throw notFound('Parent');
    await this.audit.record(context, {
      action: 'parent.read',
      targetType: 'parent',
      targetId: parentId,
      metadata: { view: 'timeline' },
    });
    return { parentId, entries: buildTimeline(history, this.encryption) };
  }
}
