import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { QUEUES } from '../../queue/jobs.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

export const WEBHOOKS_RECONCILE_SCHEDULER = 'webhooks-reconcile';
export const WEBHOOKS_RECONCILE_EVERY_MS = 5 * 60_000;

/** Thin: one attempt per job run; a failed attempt throws so BullMQ retries it with back-off. */
@Injectable()
export class OutboundWebhooksProcessor implements OnModuleInit {
  constructor(
    private readonly jobs: JobConsumers,
    private readonly delivery: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    this.jobs.configure(QUEUES.webhooks, { concurrency: 20 });
    this.jobs.handle('webhooks.deliver', async ({ webhookDeliveryId }, { job }) => {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const outcome = await this.delivery.attempt(webhookDeliveryId, lastAttempt);
      // The reason BullMQ keeps is a fixed text: no URL, no answer.
      if (outcome === 'retry') throw new Error('webhook delivery failed; retrying');
      return outcome;
    });
    this.jobs.handle('webhooks.reconcile', () => this.delivery.reconcile());
    this.jobs.schedule(WEBHOOKS_RECONCILE_SCHEDULER, 'webhooks.reconcile', WEBHOOKS_RECONCILE_EVERY_MS);
  }
}
