import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SmsKind, SmsStatus } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { Metrics } from '../metrics/metrics.service.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import type { SmsStatusChange } from './sms-message.entity.js';
import { SmsOutboxService } from './sms-outbox.service.js';
import { UndeliveredSmsTasks } from './undelivered-sms-tasks.service.js';
import { PagesService } from '../paging/pages.service.js';
import { SmsPageDelivery } from './sms-page-delivery.service.js';
import { SmsRepository, type OutboxKind } from './sms.repository.js';
import { PROVIDER_STATUS } from './sms-provider.js';

/** Provider statuses (Twilio's vocabulary) as the outbox keeps them: an accepted message's, and the failures. */
const FROM_PROVIDER: Readonly<Record<string, SmsStatus>> = {
  ...PROVIDER_STATUS,
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Twilio's call statuses for a page's voice call, in the outbox's words: placed (queued), ringing or answered
 * (sent), completed (delivered: someone picked up), busy or not answered (undelivered), failed or cancelled.
 */
const CALL_FROM_PROVIDER: Readonly<Record<string, SmsStatus>> = {
  queued: 'queued',
  initiated: 'queued',
  ringing: 'sent',
  'in-progress': 'sent',
  answered: 'sent',
  completed: 'delivered',
  busy: 'undelivered',
  'no-answer': 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/** Statuses only move forward along this order; the last three are final and never replace each other. */
const RANK: Readonly<Partial<Record<SmsStatus, number>>> = {
  pending: 0,
  sending: 0,
  unknown: 0,
  queued: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
};

export interface StatusCallback {
  /** Our message id from the callback URL (`?m=`), when present. */
  smsMessageId: string | null;
  providerSid: string;
  providerStatus: string;
  errorCode: string | null;
}

export type StatusOutcome = 'updated' | 'unchanged' | 'unknown_message' | 'ignored';

/**
 * Delivery status callbacks. Idempotent and order-proof: a status is applied only if it moves the message
 * forward (queued → sent → delivered / undelivered / failed), every new (status, error) pair is appended to the
 * history once, and a callback that arrives before our own record of the acceptance (or for a send whose
 * outcome was unknown) records the acceptance first, through the same path as the worker. A page's SMS or
 * voice call (same route, same signature check) tells paging how it ended.
 */
@Injectable()
export class SmsStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SmsRepository,
    private readonly delivery: SmsDeliveryService,
    private readonly pages: SmsPageDelivery,
    private readonly paging: PagesService,
    private readonly outbox: SmsOutboxService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly webhooks: WebhookOutbox,
    private readonly undelivered: UndeliveredSmsTasks,
  ) {}

  async apply(callback: StatusCallback): Promise<StatusOutcome> {
    if (!/^[A-Za-z0-9]{10,64}$/.test(callback.providerSid)) return 'ignored';
    const byId = callback.smsMessageId && isUuid(callback.smsMessageId) ? callback.smsMessageId : null;
    const row = await this.repository.findForCallback(
      byId ? { id: byId } : { providerSid: callback.providerSid },
    );
    if (!row) return 'unknown_message';
    // A page's voice call speaks Twilio's call vocabulary; every other row, the messages'.
    const providerStatus = callback.providerStatus.toLowerCase();
    const status =
      row.kind === 'page_call' ? CALL_FROM_PROVIDER[providerStatus] : FROM_PROVIDER[providerStatus];
    if (!status) return 'ignored';
    if (row.providerSid === null) {
      const accepted = { sid: callback.providerSid, status: 'queued' as const };
      if (row.pageId) await this.pages.accept(row.id, accepted, { segments: null, encoding: null });
      else await this.delivery.recordAcceptance(row.id, accepted, { segments: null, encoding: null });
    }
    return this.dataSource.transaction(async (manager): Promise<StatusOutcome> => {
      const current = await this.repository.lockForCallback(manager, row.id);
      // A callback about another attempt's message (only possible after a resend): not this row's story.
      if (!current || current.providerSid !== callback.providerSid) return 'ignored';
      const digits = callback.errorCode && /^\d{1,8}$/.test(callback.errorCode) ? callback.errorCode : null;
      // A call that did not get through says why in its status (busy, no-answer...), kept as its error code.
      const errorCode =
        current.kind === 'page_call' && (status === 'undelivered' || status === 'failed')
          ? providerStatus
          : digits;
      const seen = current.statusHistory.some(
        (change) => change.status === status && (change.errorCode ?? null) === errorCode,
      );
      const forward = (RANK[status] ?? 0) > (RANK[current.status] ?? 0);
      if (seen && !forward) return 'unchanged';
      const now = this.clock.now();
      const entry: SmsStatusChange = { status, at: now.toISOString(), ...(errorCode ? { errorCode } : {}) };
      await this.repository.recordCallbackStatus(manager, row.id, entry, forward);
      if (current.pageId) {
        await this.pageOutcome(manager, current.pageId, current.kind, forward ? status : null, errorCode);
        return forward ? 'updated' : 'unchanged';
      }
      // A parent's SMS from here on.
      const parentId = current.parentId!;
      const invitationId = current.invitationId!;
      const kind = current.kind as SmsKind;
      if (forward && (status === 'failed' || status === 'undelivered')) {
        await this.webhooks.emit({ organisationId: current.organisationId }, manager, 'sms.failed', {
          smsMessageId: current.id,
          parentId,
          kind,
          errorCode,
        });
      }
      if (errorCode === '21610') {
        await this.outbox.stopParent(
          manager,
          parentId,
          'opted_out',
          { actorId: null, organisationId: current.organisationId },
          { source: 'provider_21610' },
        );
      } else if (forward && kind === 'invitation' && (status === 'undelivered' || status === 'failed')) {
        // Moving to a final failure happens once per row (under this lock): a replay is not forward.
        await this.undelivered.open(manager, {
          smsMessageId: current.id,
          invitationId,
          parentId,
          organisationId: current.organisationId,
          errorCode,
        });
      }
      if (forward && (status === 'delivered' || status === 'undelivered' || status === 'failed'))
        this.metrics.smsOutcome(status);
      return forward ? 'updated' : 'unchanged';
    });
  }

  /** A page's row moved forward (`moved`, null for a replay): paging falls back, escalates or sends the SMS. */
  private async pageOutcome(
    manager: EntityManager,
    pageId: string,
    kind: OutboxKind,
    moved: SmsStatus | null,
    errorCode: string | null,
  ): Promise<void> {
    const pageKind = kind === 'page_call' ? 'page_call' : 'page';
    if (moved === 'undelivered' || moved === 'failed')
      await this.paging.onPageFailed(manager, pageId, pageKind, errorCode ?? moved);
    else if (moved === 'delivered' && pageKind === 'page_call')
      await this.paging.onCallAnswered(manager, pageId);
  }
}
