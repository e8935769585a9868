import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import { REFERRAL_TARGET_OF_KIND } from '@lien/shared';
import type {
  AlertDetail,
  AlertEventRequest,
  AlertEventResponse,
  AlertListResponse,
  FollowUpEventView,
  InvalidTransitionDetails,
} from '@lien/shared';
import type { AuthUser, OrgScope } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { conflict, invalid, notFound } from '../../common/errors.js';
import { AuditService, type AuditContext } from '../audit/audit.service.js';
import type { AlertEntity } from './alert.entity.js';
import { AlertNotifier } from './alert-notifier.service.js';
import { toAlertListItem } from './alert-list-view.js';
import { toAlertSummary } from './alert-summary.js';
import { allowedEvents, transition } from './alert-workflow.js';
import { AlertsRepository } from './alerts.repository.js';
import type { ParsedAlertListQuery } from './dto/alert-list-query.dto.js';
import type { FollowUpEventEntity } from './follow-up-event.entity.js';
import { openPayload, sealNote } from './follow-up-notes.js';
import { toContactRequestView } from '../screening/contact-request.view.js';

function toEventView(event: FollowUpEventEntity, encryption: FieldEncryption): FollowUpEventView {
  return {
    id: event.id,
    type: event.type,
    actorId: event.actorId,
    payload: openPayload(event, encryption),
    createdAt: event.createdAt.toISOString(),
  };
}

/** The follow-up workflow: the dashboard list, one alert with its context, and the typed events. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AlertsRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifier: AlertNotifier,
    private readonly encryption: FieldEncryption,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /**
   * The dashboard page, the reader's own overdue alerts first. The rows name parents (initials or full name, per
   * the organisation's setting), so the read is audited like a detail read: one event naming the parents shown.
   * A partner key gets no names (and no such event).
   */
  async list(
    scope: OrgScope,
    user: AuthUser,
    query: ParsedAlertListQuery,
    context: AuditContext,
  ): Promise<AlertListResponse> {
    const { organisationId } = scope;
    const now = this.clock.now();
    const { items, counts } = await this.repository.list(organisationId, {
      statuses: query.statuses,
      severities: query.severities,
      assignee: query.assignee === 'me' ? user.id : query.assignee,
      overdue: query.overdue,
      now,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
      me: user.apiKey ? null : user.id,
    });
    const [rowContext, parentNames] = await Promise.all([
      this.repository.listContext(organisationId, items),
      this.repository.alertListParentName(organisationId),
    ]);
    const rows = items.map((alert) =>
      toAlertListItem(alert, now, rowContext, user.apiKey ? null : parentNames, this.encryption),
    );
    const named = [
      ...new Set(rows.flatMap((row) => (row.parentLabel && row.parentId ? [row.parentId] : []))),
    ];
    if (named.length > 0) {
      await this.audit.record(context, {
        action: 'alert.list',
        targetType: 'parent',
        metadata: { parentIds: named, page: query.page, parentNames },
      });
    }
    const total = (query.severities ?? (Object.keys(counts) as (keyof typeof counts)[])).reduce(
      (sum, severity) => sum + counts[severity],
      0,
    );
    return {
      items: rows,
      parentNames,
      page: query.page,
      pageSize: query.pageSize,
      total,
      countsBySeverity: counts,
    };
  }

  /** One alert with the (unnamed) parent, the responses, the SMS history and the events; the read is audited. */
  async detail(scope: OrgScope, id: string, context: AuditContext): Promise<AlertDetail> {
    const { organisationId } = scope;
    const alert = await this.repository.findById(id, organisationId);
    if (!alert) throw notFound('Alert');
    // A contact-request alert has no parent until the request becomes an enrolment.
    const parent = alert.parentId ? await this.repository.findParent(alert.parentId, organisationId) : null;
    if (alert.parentId && !parent) throw notFound('Alert');
    const contactRequest = alert.contactRequestId
      ? await this.repository.findContactRequest(alert.contactRequestId, organisationId)
      : null;
    const [responses, sms, events, other] = await Promise.all([
      this.repository.responsesOf(alert.id, organisationId),
      parent ? this.repository.smsOfParent(parent.id, organisationId) : Promise.resolve([]),
      this.repository.eventsOf(alert.id, organisationId),
      parent ? this.repository.otherParent(parent) : Promise.resolve(null),
    ]);
    await this.audit.record(context, {
      action: 'alert.read',
      targetType: 'alert',
      targetId: alert.id,
      metadata: parent ? { parentId: parent.id } : { contactRequestId: alert.contactRequestId },
    });
    const userIds = [
      ...new Set([alert.assigneeId, ...events.map((event) => event.actorId)].filter((id) => id !== null)),
    ];
    const userNames = await this.repository.userNames(organisationId, userIds);
    const now = this.clock.now();
    return {
      ...toAlertSummary(alert, now),
      userNames: Object.fromEntries(userNames),
      referredAt: alert.referredAt?.toISOString() ?? null,
      inCareAt: alert.inCareAt?.toISOString() ?? null,
      closedAt: alert.closedAt?.toISOString() ?? null,
      allowedEvents: allowedEvents(alert.status),
      otherParent: {
        parentId: other?.id ?? null,
        role: other?.role ?? null,
        enrolled: other !== null,
        invited: other?.invited ?? false,
      },
      parent: parent
        ? {
            id: parent.id,
            role: parent.role,
            language: parent.language,
            birthDate: parent.birthDate,
            referentUserId: parent.referentUserId,
            status: parent.status,
          }
        : null,
      contactRequest: contactRequest ? toContactRequestView(contactRequest, alert.id) : null,
      responses: responses.map((response) => ({
        id: response.id,
        invitationId: response.invitationId,
        wave: response.wave,
        createdAt: response.createdAt.toISOString(),
        instrumentId: response.instrumentId,
        instrumentVersion: response.instrumentVersion,
        language: response.language,
        channel: response.channel,
        score: response.score,
        band: response.band,
        item10Positive: response.item10Positive,
        anxietyScore: response.anxietyScore,
        anxietyFlag: response.anxietyFlag,
        items: response.answers.map((answer, index) => ({
          number: index + 1,
          answer,
          points: response.itemPoints[index] ?? 0,
        })),
      })),
      sms: sms.map((message) => ({
        id: message.id,
        invitationId: message.invitationId,
        kind: message.kind,
        status: message.status,
        dueAt: message.dueAt.toISOString(),
        sentAt: message.sentAt?.toISOString() ?? null,
        errorCode: message.errorCode,
        statusHistory: message.statusHistory,
      })),
      events: events.map((event) => toEventView(event, this.encryption)),
    };
  }

  /** Records one follow-up event (state machine, append-only history, audit) and publishes the change. */
  async addEvent(
    scope: OrgScope,
    user: AuthUser,
    id: string,
    event: AlertEventRequest,
    context: AuditContext,
  ): Promise<AlertEventResponse> {
    const { organisationId } = scope;
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.repository.lockById(organisationId, manager, id);
      if (!alert) throw notFound('Alert');
      const organisation = await this.repository.organisation(organisationId, manager);
      const now = this.clock.now();
      const from = alert.status;

      let unreachableAttempts = 0;
      if (event.type === 'contact_attempt') {
        unreachableAttempts =
          (await this.repository.unreachableAttempts(manager, alert.id, organisationId)) +
          (event.outcome === 'unreachable' ? 1 : 0);
      }
      const result = transition({
        status: from,
        type: event.type,
        ...(event.type === 'contact_attempt' ? { contactOutcome: event.outcome } : {}),
        ...(event.type === 'close' ? { closeOutcome: event.outcome } : {}),
        unreachableAttempts,
        attemptsBeforeUnreachable: organisation.settings.contactAttemptsBeforeUnreachable,
      });
      if (!result.ok) {
        const details: InvalidTransitionDetails = {
          status: from,
          allowed: result.allowed,
          ...(result.allowedOutcomes ? { allowedOutcomes: result.allowedOutcomes } : {}),
        };
        throw conflict(
          'invalid_transition',
          result.allowedOutcomes && event.type === 'close'
            ? `An alert that is ${from} cannot be closed with outcome ${event.outcome}`
            : `A ${event.type} event is not allowed on an alert that is ${from}`,
          details as unknown as Record<string, unknown>,
        );
      }

      const changes: Partial<AlertEntity> = { status: result.status, updatedAt: now };
      const payload: Record<string, unknown> = { from, to: result.status };
      switch (event.type) {
        case 'acknowledge':
          changes.acknowledgedAt = now;
          if (!alert.assigneeId) changes.assigneeId = user.id;
          break;
        case 'assign':
          await this.checkAssignee(scope, manager, event.assigneeId);
          changes.assigneeId = event.assigneeId;
          payload.assigneeId = event.assigneeId;
          payload.previousAssigneeId = alert.assigneeId;
          break;
        case 'note':
          payload.text = event.text;
          break;
        case 'contact_attempt':
          changes.contactAttempts = alert.contactAttempts + 1;
          changes.firstContactAt = alert.firstContactAt ?? now;
          Object.assign(
            payload,
            { outcome: event.outcome, channel: event.channel, attempt: alert.contactAttempts + 1 },
            event.note ? { note: event.note } : {},
          );
          break;
        case 'referral': {
          changes.referredAt = alert.referredAt ?? now;
          // A directory entry must be one the organisation sees; its name is kept with the event, so the history
          // still says where the parent went once the entry is removed.
          const resource = event.resourceId
            ? await this.repository.referralResource(manager, event.resourceId, organisationId)
            : null;
          if (event.resourceId && !resource)
            throw invalid('resourceId', 'must be an entry of your organisation’s referral directory');
          const referredTo = event.to ?? (resource ? REFERRAL_TARGET_OF_KIND[resource.kind] : 'other');
          Object.assign(
            payload,
            { referredTo },
            resource
              ? { resourceId: resource.id, resourceName: resource.name, resourceKind: resource.kind }
              : {},
            event.destination ? { destination: event.destination } : {},
            event.note ? { note: event.note } : {},
          );
          break;
        }
        case 'in_care':
          if (event.careStartedOn !== undefined) {
            // A real calendar date, not after today (organisation's zone) nor before the alert was raised.
            const day = DateTime.fromISO(event.careStartedOn, { zone: organisation.timeZone });
            const today = DateTime.fromJSDate(now, { zone: organisation.timeZone }).startOf('day');
            const raised = DateTime.fromJSDate(alert.createdAt, { zone: organisation.timeZone }).startOf(
              'day',
            );
            if (
              !/^\d{4}-\d{2}-\d{2}$/.test(event.careStartedOn) ||
              !day.isValid ||
              day > today ||
              day < raised
            )
              throw invalid('careStartedOn', 'must be a date (YYYY-MM-DD) between the alert and today');
            payload.careStartedOn = event.careStartedOn;
          }
          // The date care began, when given (the cascade measures delays to it), else now.
          changes.inCareAt =
            alert.inCareAt ??
            (event.careStartedOn
              ? DateTime.fromISO(event.careStartedOn, { zone: organisation.timeZone }).toJSDate()
              : now);
          if (event.note) payload.note = event.note;
          break;
        case 'close':
          changes.closedAt = now;
          changes.outcome = event.outcome;
          if (event.outcome === 'in_care' && !alert.inCareAt) changes.inCareAt = now;
          Object.assign(payload, { outcome: event.outcome }, event.note ? { note: event.note } : {});
          break;
      }
      await this.repository.update(manager, alert.id, changes);
      Object.assign(alert, changes);
      // The free-text note is health data about the parent: stored encrypted, out of the payload.
      const sealed = sealNote(event.type, payload, this.encryption);
      const eventId = await this.repository.appendEvent(manager, alert, {
        actorId: user.id,
        type: event.type,
        payload: sealed.payload,
        noteEnc: sealed.noteEnc,
        createdAt: now,
      });
      // Ids and statuses only: notes stay out of the audit log.
      await this.audit.record(
        context,
        {
          action: `alert.${event.type}`,
          targetType: 'alert',
          targetId: alert.id,
          metadata: { eventId, parentId: alert.parentId, from, to: result.status },
        },
        manager,
      );
      this.notifier.changed(manager, alert, 'alert.updated');
      if (event.type === 'close')
        await this.webhooks.emit(scope, manager, 'alert.closed', {
          alertId: alert.id,
          parentId: alert.parentId,
          outcome: event.outcome,
        });
      const stored = await this.repository.appendedEvent(manager, eventId);
      return {
        alert: toAlertSummary(alert, now),
        event: toEventView(stored, this.encryption),
        allowedEvents: allowedEvents(alert.status),
      };
    });
  }

  private async checkAssignee(scope: OrgScope, manager: EntityManager, assigneeId: string): Promise<void> {
    const assignee = await this.repository.activeUser(scope.organisationId, manager, assigneeId);
    if (!assignee || (assignee.role !== 'professional' && assignee.role !== 'org_admin')) {
      throw invalid('assigneeId', 'must be an active professional of this organisation');
    }
  }
}
