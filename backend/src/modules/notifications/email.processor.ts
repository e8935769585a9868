import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { withRequestId } from '../../common/request-context.js';
import { QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { redisOutageWarning } from '../../queue/queue.module.js';
import { EmailDeliveryService } from './email-delivery.service.js';

/** Thin: the email queue's jobs call the delivery service. */
@Processor(QUEUES.email)
export class EmailProcessor extends WorkerHost {
  constructor(private readonly delivery: EmailDeliveryService) {
    super();
  }

  private readonly logger = new Logger('EmailWorker');
  private readonly outage = redisOutageWarning(this.logger);

  /** Connection errors (Redis away, failover under way): one warning a minute; BullMQ reconnects by itself. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.outage(error);
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'email.send': {
        const { emailMessageId, requestId } = job.data as JobPayloads['email.send'];
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        // A job a request caused runs under its request id: every line it logs names it.
        return withRequestId(requestId, () => {
          if (requestId) this.logger.log(`email.send job ${job.id ?? '?'}`);
          return this.delivery.send(emailMessageId, finalAttempt);
        });
      }
      case 'email.reconcile':
        return this.delivery.reconcile();
      default:
        return undefined;
    }
  }
}

/** Every minute, the worker re-queues pending emails whose job was lost. */
@Injectable()
export class EmailSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.email) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'email-reconcile',
      { every: 60_000 },
      { name: 'email.reconcile', data: {} },
    );
  }
}
