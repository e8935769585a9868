import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { withRequestId } from '../../common/request-context.js';
import { QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { redisOptions } from '../../queue/redis.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import { SmsReconciler } from './sms-reconciler.service.js';
import { SmsModule } from './sms.module.js';

export const SMS_RECONCILE_SCHEDULER = 'sms-reconcile';

/**
 * The SMS queue's consumers, built from the configuration (concurrency, the provider's rate limit as a BullMQ
 * limiter, lock duration), which a static @Processor decorator cannot take:
 * - `sms.send` (QUEUES.sms): runs the delivery service; "later" outcomes move the same job back to delayed;
 * - `maintenance.reconcile` (QUEUES.maintenance, a job scheduler every minute): re-creates missing jobs.
 * The maintenance worker only knows `maintenance.reconcile`: another maintenance job fails here and is
 * retried by BullMQ (see the report: one consumer per queue is simplest).
 */
@Injectable()
export class SmsWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmsWorkers');
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly delivery: SmsDeliveryService,
    private readonly reconciler: SmsReconciler,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { smsDelivery } = this.config;
    const base = {
      connection: { ...redisOptions(this.config.redisUrl, 'worker') },
      prefix: this.config.queuePrefix,
    };
    this.workers.push(
      new Worker(QUEUES.sms, (job: Job, token?: string) => this.send(job, token), {
        ...base,
        // Sends under way are capped inside the delivery service (SMS_WORKER_CONCURRENCY); the rest are jobs
        // taken ahead of their due time and held until it (SMS_PREPARE_AHEAD_MS, up to SMS_PREPARED_MAX).
        concurrency: smsDelivery.concurrency + (smsDelivery.prepareAheadMs > 0 ? smsDelivery.preparedMax : 0),
        limiter: { max: this.config.smsRatePerSecond, duration: 1_000 },
        lockDuration: smsDelivery.lockMs,
        stalledInterval: smsDelivery.lockMs,
        maxStalledCount: 10,
      }),
      new Worker(QUEUES.maintenance, (job: Job) => this.maintain(job), { ...base, concurrency: 1 }),
    );
    for (const worker of this.workers) {
      worker.on('error', (error) => this.logger.warn(`${worker.name} worker: ${error.message}`));
      worker.on('failed', (job, error) =>
        this.logger.warn(`${worker.name} job ${job?.id ?? '?'} failed: ${error.name}: ${error.message}`),
      );
    }
    // A restarted worker restores lost jobs at once rather than at the next scheduled run.
    void this.reconciler
      .reconcile()
      .catch((error: unknown) => this.logger.warn(`Start-up reconcile failed: ${(error as Error).message}`));
    try {
      await this.maintenance.upsertJobScheduler(
        SMS_RECONCILE_SCHEDULER,
        { every: smsDelivery.reconcileIntervalMs },
        { name: 'maintenance.reconcile', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    } catch (error) {
      this.logger.warn(`Could not schedule the SMS reconciler (Redis?): ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private async send(job: Job, token: string | undefined): Promise<string> {
    if (job.name !== 'sms.send') throw new Error(`Unknown SMS job ${job.name}`);
    const { smsMessageId, requestId } = job.data as JobPayloads['sms.send'];
    // A job a request caused runs under its request id: every line it logs names it.
    const outcome = await withRequestId(requestId, () => {
      if (requestId) this.logger.log(`sms.send job ${job.id ?? '?'}`);
      return this.delivery.process(smsMessageId);
    });
    if (outcome.kind === 'done') return outcome.status;
    // Same job id, back to delayed: the row stays the only truth, the job only says when to look again.
    await job.moveToDelayed(Date.now() + outcome.delayMs, token);
    throw new DelayedError();
  }

  private async maintain(job: Job): Promise<unknown> {
    if (job.name === 'maintenance.reconcile') return this.reconciler.reconcile();
    throw new Error(`maintenance job ${job.name} has no handler in the SMS worker`);
  }
}

/** Worker process only. */
@Module({ imports: [SmsModule], providers: [SmsWorkers] })
export class SmsWorkerModule {}
