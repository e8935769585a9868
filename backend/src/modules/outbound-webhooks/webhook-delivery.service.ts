import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { FieldEncryption } from '../../common/crypto/field-encryption.service.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { MailService } from '../notifications/mail.service.js';
import { resolvesToPrivate } from './address-guard.js';
import { OutboundWebhooksRepository, type DeliveryWork } from './outbound-webhooks.repository.js';
import { signWebhook } from './webhook-signature.js';
import { WebhookOutbox } from './webhook-outbox.service.js';

/** Delivered and dead deliveries are kept this long for the deliveries view, then deleted. */
export const SETTLED_DELIVERY_DAYS = 30;

export type AttemptOutcome = 'delivered' | 'retry' | 'dead' | 'skipped';

interface AttemptFailure {
  statusCode: number | null;
  /** A short code: never the partner's answer body (it could echo anything). */
  error: string;
}

/**
 * One attempt at one delivery (the worker's BullMQ job; BullMQ holds the retry schedule). The body and the
 * `webhook-id` are the same on every attempt; the timestamp and signature are those of the attempt. Redirects
 * are not followed (a 3xx is a failure), a slow endpoint times out, and an endpoint that has failed without a
 * single success for WEBHOOK_DISABLE_AFTER_HOURS is disabled, its organisation's admins told by e-mail.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('OutboundWebhooks');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: OutboundWebhooksRepository,
    private readonly outbox: WebhookOutbox,
    private readonly encryption: FieldEncryption,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `lastAttempt`: no retry follows this one, so a failure dead-letters the delivery. */
  async attempt(deliveryId: string, lastAttempt: boolean): Promise<AttemptOutcome> {
    const work = await this.repository.work(deliveryId);
    if (!work || work.status !== 'pending') return 'skipped';
    if (!work.enabled) {
      await this.repository.markDead(work.id, 'endpoint_disabled');
      return 'dead';
    }
    const failure = await this.send(work);
    const at = this.clock.now();
    if (!failure.error) {
      await this.repository.markDelivered(work, failure.statusCode ?? 200, at);
      return 'delivered';
    }
    const failingSince = await this.repository.markFailed(work, failure, lastAttempt, at);
    this.logger.warn(`webhook delivery ${work.id} to endpoint ${work.endpointId} failed (${failure.error})`);
    if (failingSince) await this.disableIfFailingTooLong(work, at);
    return lastAttempt ? 'dead' : 'retry';
  }

  private async send(work: DeliveryWork): Promise<AttemptFailure> {
    const body = JSON.stringify(work.payload);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const secret = this.encryption.decrypt(work.secretEnc);
    // Checked at each attempt (DNS can change after registration).
    if (
      !this.config.outboundWebhooks.allowPrivateNetworks &&
      (await resolvesToPrivate(new URL(work.url).hostname))
    )
      return { statusCode: null, error: 'private_address' };
    try {
      const response = await fetch(work.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.outboundWebhooks.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Lien-Webhooks/1',
          'webhook-id': work.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, work.id, timestamp, body),
        },
        body,
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { statusCode: response.status, error: '' };
      const kind = response.status >= 300 && response.status < 400 ? 'redirect_not_followed' : 'http_error';
      return { statusCode: response.status, error: `${kind}_${response.status}` };
    } catch (error) {
      const name = (error as Error).name;
      return { statusCode: null, error: name === 'TimeoutError' ? 'timeout' : 'network_error' };
    }
  }

  private async disableIfFailingTooLong(work: DeliveryWork, at: Date): Promise<void> {
    const failingBefore = new Date(at.getTime() - this.config.outboundWebhooks.disableAfterHours * 3_600_000);
    const disabled = await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.repository.disableIfFailingSince(
        work.endpointId,
        failingBefore,
        at,
        manager,
      );
      if (!endpoint) return false;
      for (const to of endpoint.adminEmails) {
        await this.mail.enqueue(
          {
            to,
            organisationId: endpoint.organisationId,
            subject: 'Lien : un point de terminaison webhook a été désactivé',
            body: [
              `Le point de terminaison webhook ${new URL(endpoint.url).origin} (id ${work.endpointId}) échoue depuis`,
              `plus de ${this.config.outboundWebhooks.disableAfterHours} heures : Lien l'a désactivé.`,
              `Corrigez-le puis réactivez-le depuis la console (Intégrations) ou l'API.`,
            ].join('\n'),
          },
          manager,
        );
      }
      return true;
    });
    if (disabled) {
      this.outbox.invalidate();
      this.logger.warn(`webhook endpoint ${work.endpointId} disabled after failing too long`);
    }
  }

  /**
   * Re-queues pending deliveries whose job went missing (Redis lost; deterministic job ids make it idempotent) and
   * deletes settled deliveries after SETTLED_DELIVERY_DAYS.
   */
  async reconcile(): Promise<{ requeued: number; purged: number }> {
    const now = this.clock.now().getTime();
    const ids = await this.repository.pendingBefore(new Date(now - 60_000), 1_000);
    if (ids.length > 0) await this.outbox.schedule(ids);
    const purged = await this.repository.purgeSettledBefore(
      new Date(now - SETTLED_DELIVERY_DAYS * 86_400_000),
    );
    return { requeued: ids.length, purged };
  }
}
