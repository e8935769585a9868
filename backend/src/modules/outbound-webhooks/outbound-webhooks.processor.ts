import { Injectable } from '@nestjs/common';
import { JobHandler, QueueWorker, type JobContext } from '../../queue/job-handler.decorator.js';
import { QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

export const WEBHOOKS_RECONCILE_SCHEDULER = 'webhooks-reconcile';
export const WEBHOOKS_RECONCILE_EVERY_MS = 5 * 60_000;

/** Thin: one attempt per job run; a failed attempt throws so BullMQ retries it with back-off. */
@Injectable()
@QueueWorker(QUEUES.webhooks, { concurrency: 20 })
export class OutboundWebhooksProcessor {
  constructor(private readonly delivery: WebhookDeliveryService) {}

  @JobHandler('webhooks.deliver')
  async deliver(
    { webhookDeliveryId }: JobPayloads['webhooks.deliver'],
    { job }: JobContext,
  ): Promise<unknown> {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.delivery.attempt(webhookDeliveryId, lastAttempt);
    // The reason BullMQ keeps is a fixed text: no URL, no answer.
    if (outcome === 'retry') throw new Error('webhook delivery failed; retrying');
    return outcome;
  }

  @JobHandler('webhooks.reconcile', {
    scheduler: WEBHOOKS_RECONCILE_SCHEDULER,
    every: WEBHOOKS_RECONCILE_EVERY_MS,
  })
  reconcile(): Promise<unknown> {
    return this.delivery.reconcile();
  }
}
