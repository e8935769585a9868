import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { withRequestId } from '../../common/request-context.js';
import { QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

export const WEBHOOKS_RECONCILE_EVERY_MS = 5 * 60_000;

/** Thin: one attempt per job run; a failed attempt throws so BullMQ retries it with back-off. */
@Processor(QUEUES.webhooks, { concurrency: 20 })
export class OutboundWebhooksProcessor extends WorkerHost {
  constructor(private readonly delivery: WebhookDeliveryService) {
    super();
  }

  private readonly logger = new Logger('WebhooksWorker');

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'webhooks.deliver': {
        const { webhookDeliveryId, requestId } = job.data as JobPayloads['webhooks.deliver'];
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        // A job a request caused runs under its request id: every line it logs names it.
        const outcome = await withRequestId(requestId, () => {
          if (requestId) this.logger.log(`webhooks.deliver job ${job.id ?? '?'}`);
          return this.delivery.attempt(webhookDeliveryId, lastAttempt);
        });
        // The reason BullMQ keeps is a fixed text: no URL, no answer.
        if (outcome === 'retry') throw new Error('webhook delivery failed; retrying');
        return outcome;
      }
      case 'webhooks.reconcile':
        return this.delivery.reconcile();
      default:
        return undefined;
    }
  }
}

@Injectable()
export class OutboundWebhooksSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.webhooks) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'webhooks-reconcile',
      { every: WEBHOOKS_RECONCILE_EVERY_MS },
      { name: 'webhooks.reconcile', data: {} },
    );
  }
}
