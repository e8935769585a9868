import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { EmailDeliveryService } from './email-delivery.service.js';

export const EMAIL_RECONCILE_SCHEDULER = 'email-reconcile';
/** Pending emails whose job was lost are queued again every minute. */
export const EMAIL_RECONCILE_EVERY_MS = 60_000;

/** Thin: the email queue's jobs call the delivery service. */
@Injectable()
export class EmailProcessor implements OnModuleInit {
  constructor(
    private readonly jobs: JobConsumers,
    private readonly delivery: EmailDeliveryService,
  ) {}

  onModuleInit(): void {
    this.jobs.handle('email.send', ({ emailMessageId }, { job }) =>
      this.delivery.send(emailMessageId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
    );
    this.jobs.handle('email.reconcile', () => this.delivery.reconcile());
    this.jobs.schedule(EMAIL_RECONCILE_SCHEDULER, 'email.reconcile', EMAIL_RECONCILE_EVERY_MS);
  }
}
