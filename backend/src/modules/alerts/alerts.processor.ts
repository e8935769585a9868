import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { withRequestId } from '../../common/request-context.js';
import { QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { redisOutageWarning } from '../../queue/queue.module.js';
import { AlertDeadlineService } from './alert-deadline.service.js';
import { InvitationExpiryService } from './invitation-expiry.service.js';
import { PagesService } from '../paging/pages.service.js';

/** Thin: the alerts queue's jobs call the services. */
@Processor(QUEUES.alerts)
export class AlertsProcessor extends WorkerHost {
  constructor(
    private readonly deadlines: AlertDeadlineService,
    private readonly expiry: InvitationExpiryService,
    private readonly pages: PagesService,
  ) {
    super();
  }

  private readonly logger = new Logger('AlertsWorker');
  private readonly outage = redisOutageWarning(this.logger);

  /** Connection errors (Redis away, failover under way): one warning a minute; BullMQ reconnects by itself. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.outage(error);
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'alerts.deadline': {
        const { alertId, requestId } = job.data as JobPayloads['alerts.deadline'];
        // A job a request caused runs under its request id: every line it logs names it.
        return withRequestId(requestId, () => {
          if (requestId) this.logger.log(`alerts.deadline job ${job.id ?? '?'}`);
          return this.deadlines.check(alertId);
        });
      }
      case 'paging.send':
        return this.pages.send((job.data as JobPayloads['paging.send']).pageId);
      case 'paging.escalate': {
        const { alertId, step } = job.data as JobPayloads['paging.escalate'];
        return this.pages.escalate(alertId, step);
      }
      case 'alerts.reconcile': {
        const deadlines = await this.deadlines.reconcile();
        // Lost paging jobs come back with the deadline jobs.
        return { ...deadlines, paging: await this.pages.reconcile() };
      }
      case 'alerts.expire-invitations':
        return this.expiry.sweep();
      default:
        return undefined;
    }
  }
}

export const ALERTS_RECONCILE_EVERY_MS = 5 * 60_000;
export const INVITATION_SWEEP_EVERY_MS = 5 * 60_000;

/** Periodic jobs of the alerts queue (one scheduler each, whatever the number of workers). */
@Injectable()
export class AlertsSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.alerts) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'alerts-reconcile',
      { every: ALERTS_RECONCILE_EVERY_MS },
      { name: 'alerts.reconcile', data: {} },
    );
    await this.queue.upsertJobScheduler(
      'alerts-expire-invitations',
      { every: INVITATION_SWEEP_EVERY_MS },
      { name: 'alerts.expire-invitations', data: {} },
    );
  }
}
