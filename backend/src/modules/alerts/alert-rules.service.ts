import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlertReason, AlertSeverity, SmsFailureReason } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { AuditService } from '../audit/audit.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { PagesService } from '../paging/pages.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import type { ResponseEntity } from '../questionnaire/response.entity.js';
import { AlertEntity } from './alert.entity.js';
import { AlertNotifier } from './alert-notifier.service.js';
import { AlertsRepository } from './alerts.repository.js';
import {
  computeDeadlines,
  evaluateResponse,
  mergeReasons,
  moreSevere,
  severityRank,
  type ResponseSignals,
} from './alert-rules.js';
import type { FollowUpEventEntity } from './follow-up-event.entity.js';
import { smsFailureReason, type UndeliveredSms } from './undelivered-sms.js';

/** What the rules read of the organisation and of the parent (callers may pass partial rows). */
export type AlertOrganisation = Pick<
  OrganisationEntity,
  'id' | 'name' | 'settings' | 'timeZone' | 'departement'
>;
export type AlertParent = Pick<ParentEntity, 'id' | 'organisationId' | 'referentUserId'>;

/**
 * What caused an alert to be raised or merged: a response, an invitation that expired unanswered, an
 * invitation SMS that did not arrive, or a request to be contacted.
 */
export type AlertCause =
  | { responseId: string }
  | { invitationId: string; wave: string }
  | {
      smsMessageId: string;
      invitationId: string;
      errorCode: string | null;
      deliveryReason: SmsFailureReason;
    }
  | { contactRequestId: string };

export interface RaiseResult {
  alert: AlertEntity;
  created: boolean;
  raised: boolean;
}

/**
 * A new open alert about a parent or a contact request, with the deadlines of its severity, not yet saved.
 * (`satisfies` keeps every column set: a column added to the entity must be given here.)
 */
function newOpenAlert(
  now: Date,
  organisation: AlertOrganisation,
  severity: AlertSeverity,
  reasons: AlertReason[],
  subject: Pick<AlertEntity, 'parentId' | 'contactRequestId' | 'assigneeId'>,
): AlertEntity {
  const deadlines = computeDeadlines(now, organisation.settings.deadlines[severity], organisation);
  return Object.assign(new AlertEntity(), {
    id: randomUUID(),
    organisationId: organisation.id,
    ...subject,
    severity,
    severityRank: severityRank(severity),
    reasons,
    status: 'open',
    acknowledgeDueAt: deadlines.acknowledgeDueAt,
    contactDueAt: deadlines.contactDueAt,
    acknowledgedAt: null,
    firstContactAt: null,
    escalatedAt: null,
    contactAttempts: 0,
    referredAt: null,
    inCareAt: null,
    closedAt: null,
    outcome: null,
    createdAt: now,
    updatedAt: now,
  } satisfies Omit<AlertEntity, 'parent' | 'contactRequest'>);
}

/**
 * Turns worrying answers and silences into alerts, inside the caller's transaction. One open alert per parent:
 * a new cause merges into it (severity only goes up, reasons accumulate, deadlines only get stricter).
 */
@Injectable()
export class AlertRulesService {
  constructor(
    private readonly clock: Clock,
    private readonly notifier: AlertNotifier,
    private readonly audit: AuditService,
    private readonly alerts: AlertsRepository,
    private readonly metrics: Metrics,
    private readonly webhooks: WebhookOutbox,
    private readonly pages: PagesService,
  ) {}

  /** Whether answers like these raise (or merge into) an alert: the questionnaire then stores them in a transaction. */
  raisesAlert(response: ResponseSignals): boolean {
    return evaluateResponse(response) !== null;
  }

  /**
   * Called by the questionnaire in the transaction that stores `response`. Item 10 positive → urgent; high band →
   * high; moderate band or anxiety flag → moderate; low band without flags → nothing. Links the response to the alert.
   */
  async onResponse(
    organisation: AlertOrganisation,
    manager: EntityManager,
    response: ResponseEntity,
    parent: AlertParent,
  ): Promise<void> {
    if (
      response.parentId !== parent.id ||
      parent.organisationId !== organisation.id ||
      response.organisationId !== organisation.id
    ) {
      throw new Error('onResponse: response, parent and organisation do not belong together');
    }
    const verdict = evaluateResponse(response);
    if (!verdict) return;
    const { alert, created } = await this.raise(
      organisation,
      manager,
      parent,
      verdict.severity,
      verdict.reasons,
      {
        responseId: response.id,
      },
    );
    // A new alert was linked to the response as it was created.
    if (!created) await this.alerts.linkResponse(manager, response.id, alert.id);
    response.alertId = alert.id;
  }

  /** An invitation expired unanswered: a LOW "no answer" task for the referent, or a reason added to the open alert. */
  async onNoResponse(
    organisation: AlertOrganisation,
    manager: EntityManager,
    invitation: { id: string; wave: string },
    parent: AlertParent,
  ): Promise<RaiseResult> {
    return this.raise(organisation, manager, parent, 'low', ['no_response'], {
      invitationId: invitation.id,
      wave: invitation.wave,
    });
  }

  /**
   * An invitation SMS ended undelivered/failed (status callback) or was refused for good by the provider: a LOW
   * "check the number" task for the referent at once, with the reason in plain words (or the reason added to
   * the open alert). Once per SMS: a second report about the same message (a replayed callback) changes nothing.
   */
  async onSmsUndelivered(
    organisation: AlertOrganisation,
    manager: EntityManager,
    sms: UndeliveredSms,
    parent: AlertParent,
  ): Promise<RaiseResult | null> {
    if (await this.alerts.recordsSms(manager, parent.id, sms.smsMessageId)) return null;
    return this.raise(organisation, manager, parent, 'low', ['sms_undelivered'], {
      smsMessageId: sms.smsMessageId,
      invitationId: sms.invitationId,
      errorCode: sms.errorCode,
      deliveryReason: smsFailureReason(sms.errorCode),
    });
  }

  /**
   * The parent's number was corrected: the open "check the number" task is resolved (closed when it was the
   * alert's only reason, otherwise the reason is taken off) and the invitation whose SMS did not arrive is
   * returned, for the caller to send again. Null when there was no such task.
   */
  async resolveUndeliveredSms(
    manager: EntityManager,
    parent: AlertParent,
    actorId: string | null,
  ): Promise<{ alertId: string; invitationId: string | null } | null> {
    const alert = await this.alerts.lockOpenOfParent(parent.organisationId, manager, parent.id);
    if (!alert || !alert.reasons.includes('sms_undelivered')) return null;
    const invitationId = await this.alerts.lastSmsInvitation(manager, alert.id);
    const now = this.clock.now();
    const remaining = alert.reasons.filter((reason) => reason !== 'sms_undelivered');
    // A task about the number only is done; an alert about the answers goes on without the number reason.
    const changes: Partial<AlertEntity> =
      remaining.length === 0
        ? { status: 'closed', closedAt: now, updatedAt: now }
        : { reasons: remaining, updatedAt: now };
    await this.alerts.update(manager, alert.id, changes);
    Object.assign(alert, changes);
    await this.alerts.appendEvent(manager, alert, {
      actorId,
      type: 'sms_resolved',
      payload: { invitationId, closed: remaining.length === 0 },
      createdAt: now,
    });
    await this.audit.record(
      { actorId, organisationId: alert.organisationId },
      {
        action: 'alert.sms_resolved',
        targetType: 'alert',
        targetId: alert.id,
        metadata: { parentId: parent.id, invitationId, closed: remaining.length === 0 },
      },
      manager,
    );
    this.notifier.changed(manager, alert, 'alert.updated');
    return { alertId: alert.id, invitationId };
  }

  async raise(
    organisation: AlertOrganisation,
    manager: EntityManager,
    parent: AlertParent,
    severity: AlertSeverity,
    reasons: AlertReason[],
    cause: AlertCause,
  ): Promise<RaiseResult> {
    const now = this.clock.now();
    const alert = newOpenAlert(now, organisation, severity, reasons, {
      parentId: parent.id,
      contactRequestId: 'contactRequestId' in cause ? cause.contactRequestId : null,
      assigneeId: parent.referentUserId,
    });
    const created = await this.alerts.createOpenAlert(manager, {
      alert,
      event: { severity, reasons, ...cause },
      audit: { parentId: parent.id, severity, ...cause },
      responseId: 'responseId' in cause ? cause.responseId : null,
    });
    if (created) {
      this.metrics.alertOpened(severity);
      if (severity === 'urgent') {
        await this.notifier.notifyUrgent(organisation, manager, alert, parent.referentUserId);
        await this.pages.pageUrgent(manager, alert);
      }
      this.notifier.changed(manager, alert, 'alert.created');
      await this.webhooks.emit({ organisationId: organisation.id }, manager, 'alert.created', {
        alertId: alert.id,
        parentId: parent.id,
        severity,
        reasons,
      });
      return { alert, created: true, raised: false };
    }
    // The parent has an open alert (perhaps opened by a concurrent transaction, now committed): merge into it.
    const existing = await this.alerts.lockOpenOfParent(organisation.id, manager, parent.id);
    if (!existing) throw new Error('open alert vanished during merge');
    return this.merge(organisation, manager, parent, existing, severity, reasons, cause, now);
  }

  /**
   * A "be contacted" request from self-screening: its own alert (no parent yet), in the caller's transaction, with
   * the deadlines of its severity (item 10 positive → urgent rules) and the same notifications and live feed.
   */
  async raiseForContactRequest(
    organisation: AlertOrganisation,
    manager: EntityManager,
    contactRequestId: string,
    severity: AlertSeverity,
    reasons: AlertReason[],
    details: Record<string, unknown>,
  ): Promise<AlertEntity> {
    const now = this.clock.now();
    const alert = newOpenAlert(now, organisation, severity, reasons, {
      parentId: null,
      contactRequestId,
      assigneeId: null,
    });
    const created = await this.alerts.createOpenAlert(manager, {
      alert,
      event: { severity, reasons, contactRequestId, ...details },
      audit: { contactRequestId, severity },
      responseId: null,
    });
    if (!created) throw new Error('contact request alert was not created');
    if (severity === 'urgent') {
      await this.notifier.notifyUrgent(organisation, manager, alert, null);
      await this.pages.pageUrgent(manager, alert);
    }
    this.notifier.changed(manager, alert, 'alert.created');
    return alert;
  }

  private async merge(
    organisation: AlertOrganisation,
    manager: EntityManager,
    parent: AlertParent,
    alert: AlertEntity,
    severity: AlertSeverity,
    reasons: AlertReason[],
    cause: AlertCause,
    now: Date,
  ): Promise<RaiseResult> {
    const previous = alert.severity;
    const next = moreSevere(previous, severity);
    const raised = next !== previous;
    const changes: Partial<AlertEntity> = { reasons: mergeReasons(alert.reasons, reasons), updatedAt: now };
    // The parent's open alert now also carries their "be contacted" request.
    if ('contactRequestId' in cause && !alert.contactRequestId)
      changes.contactRequestId = cause.contactRequestId;
    if (raised) {
      const stricter = computeDeadlines(now, organisation.settings.deadlines[next], organisation);
      changes.severity = next;
      changes.severityRank = severityRank(next);
      if (stricter.acknowledgeDueAt < alert.acknowledgeDueAt)
        changes.acknowledgeDueAt = stricter.acknowledgeDueAt;
      if (stricter.contactDueAt < alert.contactDueAt) changes.contactDueAt = stricter.contactDueAt;
    }
    await this.alerts.update(manager, alert.id, changes);
    Object.assign(alert, changes);
    const eventType = raised
      ? 'severity_raised'
      : 'responseId' in cause
        ? 'response_added'
        : 'smsMessageId' in cause
          ? 'sms_undelivered'
          : 'contactRequestId' in cause
            ? 'contact_requested'
            : 'no_response';
    await this.recordEvent(manager, alert, eventType, { from: previous, to: next, reasons, ...cause });
    await this.audit.record(
      { actorId: null, organisationId: organisation.id },
      {
        action: raised ? 'alert.severity_raise' : 'alert.merge',
        targetType: 'alert',
        targetId: alert.id,
        metadata: { parentId: parent.id, severity: next, ...cause },
      },
      manager,
    );
    if (raised && next === 'urgent') {
      await this.notifier.notifyUrgent(organisation, manager, alert, parent.referentUserId);
      await this.pages.pageUrgent(manager, alert);
    }
    this.notifier.changed(manager, alert, 'alert.updated');
    return { alert, created: false, raised };
  }

  private async recordEvent(
    manager: EntityManager,
    alert: AlertEntity,
    type: FollowUpEventEntity['type'],
    payload: Record<string, unknown>,
  ): Promise<void> {
    await this.alerts.appendEvent(manager, alert, {
      actorId: null,
      type,
      payload,
      createdAt: this.clock.now(),
    });
  }
}
