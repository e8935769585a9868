import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { AlertReason, AlertSeverity, EpdsBand, WebhookEventType } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { currentRequestId } from '../../common/request-context.js';
import { jobId, QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { afterCommit } from '../notifications/after-commit.js';
import { OutboundWebhooksRepository } from './outbound-webhooks.repository.js';

/**
 * What each event carries: ids and codes only, never a name, a phone, an answer or a note. An alert raised by a
 * request to be contacted has no enrolled parent yet (`parentId` null).
 */
export interface WebhookEventData {
  'alert.created': {
    alertId: string;
    parentId: string | null;
    severity: AlertSeverity;
    reasons: AlertReason[];
  };
  'alert.escalated': { alertId: string; parentId: string | null; severity: AlertSeverity; step: string };
  'alert.closed': { alertId: string; parentId: string | null; outcome: string };
  'response.received': {
    responseId: string;
    parentId: string;
    invitationId: string;
    band: EpdsBand;
    flags: { item10Positive: boolean; anxiety: boolean };
  };
  /** A parent asked to be contacted (self-screening or invited result page); `parentId` once enrolled. */
  'contact_request.created': {
    contactRequestId: string;
    alertId: string;
    parentId: string | null;
    band: EpdsBand | null;
    item10Positive: boolean;
  };
  'sms.failed': { smsMessageId: string; parentId: string; kind: string; errorCode: string | null };
}

/** How long the list of organisations subscribed to an event type is reused before asking Postgres again. */
const SUBSCRIBERS_CACHE_MS = 5_000;

/** Retries of one delivery: exponential back-off with jitter, dead-lettered after the last attempt. */
export function deliveryJobOptions(config: AppConfig) {
  return {
    attempts: config.outboundWebhooks.maxAttempts,
    backoff: { type: 'exponential', delay: config.outboundWebhooks.retryBaseMs, jitter: 0.5 },
  } as const;
}

/**
 * The one way a feature raises a partner event: `emit` writes one delivery row per subscribed endpoint in the
 * caller's transaction (so the event exists if and only if the change committed) and queues the deliveries
 * after commit. The caller never waits for a partner.
 */
@Injectable()
export class WebhookOutbox {
  private readonly subscribers = new Map<
    WebhookEventType,
    { at: number; organisations: Promise<Set<string>> }
  >();

  constructor(
    private readonly repository: OutboundWebhooksRepository,
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async emit<T extends WebhookEventType>(
    scope: OrgScope,
    manager: EntityManager,
    type: T,
    data: WebhookEventData[T],
  ): Promise<void> {
    const now = this.clock.now();
    const payload = { type, timestamp: now.toISOString(), data };
    const ids = await this.repository.insertDeliveries(manager, scope.organisationId, type, payload, now);
    // Taken now: the after-commit callback may run outside the request's async context.
    const requestId = currentRequestId();
    if (ids.length > 0) void afterCommit(manager, () => this.schedule(ids, requestId));
  }

  /**
   * Whether an organisation may have endpoints for this event (cached a few seconds): lets a hot path that
   * usually needs no transaction open one only when an event will be written.
   */
  async subscribed(scope: OrgScope, type: WebhookEventType): Promise<boolean> {
    const now = Date.now();
    let entry = this.subscribers.get(type);
    if (!entry || now - entry.at > SUBSCRIBERS_CACHE_MS) {
      entry = { at: now, organisations: this.repository.subscribedOrganisations(type) };
      this.subscribers.set(type, entry);
      entry.organisations.catch(() => this.subscribers.delete(type));
    }
    return (await entry.organisations).has(scope.organisationId);
  }

  /** Forgets the cached subscriptions (an endpoint was registered, removed or re-enabled in this process). */
  invalidate(): void {
    this.subscribers.clear();
  }

  /** `requestId`: the request that raised the event (none when the reconciler re-queues deliveries). */
  async schedule(deliveryIds: readonly string[], requestId?: string): Promise<void> {
    await this.queue.addBulk(
      deliveryIds.map((webhookDeliveryId) => ({
        name: 'webhooks.deliver',
        data: {
          webhookDeliveryId,
          ...(requestId ? { requestId } : {}),
        } satisfies JobPayloads['webhooks.deliver'],
        opts: { jobId: jobId.webhook(webhookDeliveryId), ...deliveryJobOptions(this.config) },
      })),
    );
  }
}
