import { Injectable } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { JobHandler, QueueWorker, type JobContext } from '../../queue/job-handler.decorator.js';
import { QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import { SmsReconciler } from './sms-reconciler.service.js';

export const SMS_RECONCILE_SCHEDULER = 'sms-reconcile';

/**
 * Thin: the SMS queue's consumer (`sms.send`), with worker options from the configuration (concurrency, the
 * provider's rate limit as a BullMQ limiter, lock duration). It runs the delivery service; "later" outcomes move
 * the same job back to delayed. Loaded when WORKER_QUEUES lists `sms`.
 */
@Injectable()
@QueueWorker(QUEUES.sms, ({ smsDelivery, smsRatePerSecond }) => ({
  // Sends under way are capped inside the delivery service (SMS_WORKER_CONCURRENCY); the rest are jobs taken
  // ahead of their due time and held until it (SMS_PREPARE_AHEAD_MS, up to SMS_PREPARED_MAX).
  concurrency: smsDelivery.concurrency + (smsDelivery.prepareAheadMs > 0 ? smsDelivery.preparedMax : 0),
  limiter: { max: smsRatePerSecond, duration: 1_000 },
  lockDuration: smsDelivery.lockMs,
  stalledInterval: smsDelivery.lockMs,
  maxStalledCount: 10,
}))
export class SmsProcessor {
  constructor(private readonly delivery: SmsDeliveryService) {}

  @JobHandler('sms.send')
  async send({ smsMessageId }: JobPayloads['sms.send'], { job, token }: JobContext): Promise<unknown> {
    const outcome = await this.delivery.process(smsMessageId);
    if (outcome.kind === 'done') return outcome.status;
    // Same job id, back to delayed: the row stays the only truth, the job only says when to look again.
    await job.moveToDelayed(Date.now() + outcome.delayMs, token);
    throw new DelayedError();
  }
}

/**
 * Thin: the SMS part of the maintenance queue: `maintenance.reconcile` every SMS_RECONCILE_INTERVAL_MS re-creates
 * missing SMS jobs from Postgres. Loaded when WORKER_QUEUES lists `maintenance`; however many such workers run,
 * the scheduler makes one job per period and one worker takes it. A restarted worker restores lost jobs at once
 * rather than at the next scheduled run.
 */
@Injectable()
@QueueWorker(QUEUES.maintenance, { concurrency: 1 })
export class SmsMaintenanceProcessor {
  constructor(private readonly reconciler: SmsReconciler) {}

  @JobHandler('maintenance.reconcile', {
    scheduler: SMS_RECONCILE_SCHEDULER,
    every: ({ smsDelivery }) => smsDelivery.reconcileIntervalMs,
    alsoAtStartup: true,
  })
  reconcile(): Promise<unknown> {
    return this.reconciler.reconcile();
  }
}
