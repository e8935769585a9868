import { Injectable } from '@nestjs/common';
import { JobHandler, type JobContext } from '../../queue/job-handler.decorator.js';
import type { JobPayloads } from '../../queue/jobs.js';
import { EmailDeliveryService } from './email-delivery.service.js';

export const EMAIL_RECONCILE_SCHEDULER = 'email-reconcile';
/** Pending emails whose job was lost are queued again every minute. */
export const EMAIL_RECONCILE_EVERY_MS = 60_000;

/** Thin: the email queue's jobs call the delivery service. */
@Injectable()
export class EmailProcessor {
  constructor(private readonly delivery: EmailDeliveryService) {}

  @JobHandler('email.send')
  send({ emailMessageId }: JobPayloads['email.send'], { job }: JobContext): Promise<unknown> {
    return this.delivery.send(emailMessageId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }

  @JobHandler('email.reconcile', { scheduler: EMAIL_RECONCILE_SCHEDULER, every: EMAIL_RECONCILE_EVERY_MS })
  reconcile(): Promise<unknown> {
    return this.delivery.reconcile();
  }
}
