import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SmsKind, SmsStatus } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { isUuid } from '../../common/auth/uuid-param.pipe.js';
import { Metrics } from '../metrics/metrics.service.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import type { SmsStatusChange } from './sms-message.entity.js';
import { SmsOutboxService } from './sms-outbox.service.js';
import { UndeliveredSmsTasks } from './undelivered-sms-tasks.service.js';

/** Provider statuses (Twilio's vocabulary) as the outbox keeps them. */
const FROM_PROVIDER: Readonly<Record<string, SmsStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
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
 * outcome was unknown) records the acceptance first, through the same path as the worker.
 */
@Injectable()
export class SmsStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly delivery: SmsDeliveryService,
    private readonly outbox: SmsOutboxService,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly webhooks: WebhookOutbox,
    private readonly undelivered: UndeliveredSmsTasks,
  ) {}

  async apply(callback: StatusCallback): Promise<StatusOutcome> {
    const status = FROM_PROVIDER[callback.providerStatus.toLowerCase()];
    if (!status || !/^[A-Za-z0-9]{10,64}$/.test(callback.providerSid)) return 'ignored';
    const byId = callback.smsMessageId && isUuid(callback.smsMessageId) ? callback.smsMessageId : null;
    const found = await this.dataSource.query<Array<{ id: string; provider_sid: string | null }>>(
      byId
        ? `SELECT id, provider_sid FROM sms_messages WHERE id = $1`
        : `SELECT id, provider_sid FROM sms_messages WHERE provider_sid = $1`,
      [byId ?? callback.providerSid],
    );
    const row = found[0];
    if (!row) return 'unknown_message';
    if (row.provider_sid === null) {
      await this.delivery.recordAcceptance(
        row.id,
        { sid: callback.providerSid, status: 'queued' },
        { segments: null, encoding: null },
      );
    }
    return this.dataSource.transaction(async (manager): Promise<StatusOutcome> => {
      const locked = await manager.query<
        Array<{
          id: string;
          status: SmsStatus;
          provider_sid: string | null;
          status_history: SmsStatusChange[];
          parent_id: string;
          organisation_id: string;
          kind: SmsKind;
          invitation_id: string;
        }>
      >(
        `SELECT id, status, provider_sid, status_history, parent_id, organisation_id, kind, invitation_id
           FROM sms_messages WHERE id = $1 FOR UPDATE`,
        [row.id],
      );
      const current = locked[0];
      // A callback about another attempt's message (only possible after a resend): not this row's story.
      if (!current || current.provider_sid !== callback.providerSid) return 'ignored';
      const errorCode =
        callback.errorCode && /^\d{1,8}$/.test(callback.errorCode) ? callback.errorCode : null;
      const seen = current.status_history.some(
        (change) => change.status === status && (change.errorCode ?? null) === errorCode,
      );
      const forward = (RANK[status] ?? 0) > (RANK[current.status] ?? 0);
      if (seen && !forward) return 'unchanged';
      const now = this.clock.now();
      const entry: SmsStatusChange = { status, at: now.toISOString(), ...(errorCode ? { errorCode } : {}) };
      await manager.query(
        `UPDATE sms_messages SET status_history = status_history || $2::jsonb, updated_at = now()
           ${forward ? ', status = $3' : ''}${forward && errorCode ? ', error_code = $4' : ''}
         WHERE id = $1`,
        forward
          ? errorCode
            ? [row.id, JSON.stringify([entry]), status, errorCode]
            : [row.id, JSON.stringify([entry]), status]
          : [row.id, JSON.stringify([entry])],
      );
      if (forward && (status === 'failed' || status === 'undelivered')) {
        await this.webhooks.emit(manager, current.organisation_id, 'sms.failed', {
          smsMessageId: current.id,
          parentId: current.parent_id,
          kind: current.kind,
          errorCode,
        });
      }
      if (errorCode === '21610') {
        await this.outbox.stopParent(
          manager,
          current.parent_id,
          'opted_out',
          { actorId: null, organisationId: current.organisation_id },
          { source: 'provider_21610' },
        );
      } else if (
        forward &&
        current.kind === 'invitation' &&
        (status === 'undelivered' || status === 'failed')
      ) {
        // Moving to a final failure happens once per row (under this lock): a replay is not forward.
        await this.undelivered.open(manager, {
          smsMessageId: current.id,
          invitationId: current.invitation_id,
          parentId: current.parent_id,
          organisationId: current.organisation_id,
          errorCode,
        });
      }
      if (forward && (status === 'delivered' || status === 'undelivered' || status === 'failed'))
        this.metrics.smsOutcome(status);
      return forward ? 'updated' : 'unchanged';
    });
  }
}
