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
import { BullConnections, redisOutageWarning } from '../../queue/queue.module.js';
import { SmsDeliveryService } from './sms-delivery.service.js';
import { SmsReconciler } from './sms-reconciler.service.js';
import { SmsModule } from './sms.module.js';

export const SMS_RECONCILE_SCHEDULER = 'sms-reconcile';

function watch(worker: Worker, logger: Logger): Worker {
  worker.on('error', redisOutageWarning(logger));
  worker.on('failed', (job, error) =>
    logger.warn(`${worker.name} job ${job?.id ?? '?'} failed: ${error.name}: ${error.message}`),
  );
  return worker;
}

/**
 * The SMS queue's consumer (`sms.send`), built from the configuration (concurrency, the provider's rate limit as
 * a BullMQ limiter, lock duration), which a static @Processor decorator cannot take. It runs the delivery
 * service; "later" outcomes move the same job back to delayed. Loaded when WORKER_QUEUES lists `sms`.
 */
@Injectable()
export class SmsSendWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmsWorkers');
  private worker: Worker | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly delivery: SmsDeliveryService,
    private readonly connections: BullConnections,
  ) {}

  onApplicationBootstrap(): void {
    const { smsDelivery } = this.config;
    this.worker = watch(
      new Worker(QUEUES.sms, (job: Job, token?: string) => this.send(job, token), {
        connection: this.connections.connection('worker'),
        prefix: this.config.queuePrefix,
        // Sends under way are capped inside the delivery service (SMS_WORKER_CONCURRENCY); the rest are jobs
        // taken ahead of their due time and held until it (SMS_PREPARE_AHEAD_MS, up to SMS_PREPARED_MAX).
        concurrency: smsDelivery.concurrency + (smsDelivery.prepareAheadMs > 0 ? smsDelivery.preparedMax : 0),
        limiter: { max: this.config.smsRatePerSecond, duration: 1_000 },
        lockDuration: smsDelivery.lockMs,
        stalledInterval: smsDelivery.lockMs,
        maxStalledCount: 10,
      }),
      this.logger,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
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
}

/**
 * The maintenance queue's consumer and its job scheduler (`maintenance.reconcile` every
 * SMS_RECONCILE_INTERVAL_MS: re-creates missing SMS jobs from Postgres). Loaded when WORKER_QUEUES lists
 * `maintenance`; however many such workers run, the scheduler makes one job per period and one worker takes it.
 * The maintenance worker only knows `maintenance.reconcile`: another maintenance job fails here and is retried
 * by BullMQ (one consumer per queue is simplest).
 */
@Injectable()
export class SmsMaintenanceWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SmsWorkers');
  private worker: Worker | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reconciler: SmsReconciler,
    private readonly connections: BullConnections,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.worker = watch(
      new Worker(QUEUES.maintenance, (job: Job) => this.maintain(job), {
        connection: this.connections.connection('worker'),
        prefix: this.config.queuePrefix,
        concurrency: 1,
      }),
      this.logger,
    );
    // A restarted worker restores lost jobs at once rather than at the next scheduled run.
    void this.reconciler
      .reconcile()
      .catch((error: unknown) => this.logger.warn(`Start-up reconcile failed: ${(error as Error).message}`));
    try {
      await this.maintenance.upsertJobScheduler(
        SMS_RECONCILE_SCHEDULER,
        { every: this.config.smsDelivery.reconcileIntervalMs },
        { name: 'maintenance.reconcile', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    } catch (error) {
      this.logger.warn(`Could not schedule the SMS reconciler (Redis?): ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async maintain(job: Job): Promise<unknown> {
    if (job.name === 'maintenance.reconcile') return this.reconciler.reconcile();
    throw new Error(`maintenance job ${job.name} has no handler in the SMS worker`);
  }
}

/** Worker process only, WORKER_QUEUES with `sms`. */
@Module({ imports: [SmsModule], providers: [SmsSendWorker] })
export class SmsWorkerModule {}

/** Worker process only, WORKER_QUEUES with `maintenance`. */
@Module({ imports: [SmsModule], providers: [SmsMaintenanceWorker] })
export class SmsMaintenanceModule {}
