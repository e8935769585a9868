import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { jobId, QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { REDIS } from '../../queue/queue.module.js';
import { Batcher } from '../../common/batcher.js';
import { currentRequestId } from '../../common/request-context.js';

export interface DueSms {
  id: string;
  dueAt: Date;
  /** The request that caused it (set by `enqueue` from the request context). */
  requestId?: string;
}

const ENQUEUE_TIMEOUT_MS = 2_000;

/** Job options of every `sms.send` job: an unexpected error (database away...) is retried by BullMQ itself. */
export const SMS_JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } } as const;

/**
 * The job of an outbox row, runnable `prepareAheadMs` before the row is due: the worker reads the row then and
 * holds it until the due time (it never sends earlier: the claim checks `due_at <= now`).
 */
export function smsJob(message: DueSms, now: Date, prepareAheadMs: number) {
  const data: JobPayloads['sms.send'] = {
    smsMessageId: message.id,
    ...(message.requestId ? { requestId: message.requestId } : {}),
  };
  return {
    name: 'sms.send' as const,
    data,
    opts: {
      ...SMS_JOB_OPTIONS,
      jobId: jobId.sms(message.id),
      delay: Math.max(0, message.dueAt.getTime() - now.getTime() - prepareAheadMs),
    },
  };
}

/**
 * Puts outbox rows on the queue once their transaction has committed: one delayed job per row, the row id as
 * job id (adding it twice is a no-op). Never fails the caller: when Redis is away the row stays in Postgres and
 * the reconciler enqueues it later.
 */
@Injectable()
export class SmsQueueService {
  private readonly logger = new Logger('SmsQueue');

  constructor(
    @InjectQueue(QUEUES.sms) private readonly queue: Queue,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Concurrent enqueues (one per enrolment, per accepted SMS...) leave in one Redis round trip. */
  private readonly batches = new Batcher<readonly DueSms[], number>(async (lists) => {
    const messages = lists.flat();
    const now = this.clock.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.queue.addBulk(
          messages.map((message) => smsJob(message, now, this.config.smsDelivery.prepareAheadMs)),
        ),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
      return lists.map((list) => list.length);
    } catch (error) {
      this.logger.warn(
        `Could not enqueue ${messages.length} SMS (the reconciler will): ${(error as Error).message}`,
      );
      return lists.map(() => 0);
    } finally {
      clearTimeout(timer);
    }
  }, 200);

  /**
   * Rows whose due time was just brought forward (a page's SMS after its call): their delayed jobs run now, and a
   * job that is gone or finished is replaced. Never throws (the reconciler catches up).
   */
  async runNow(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      try {
        const job = (await this.queue.getJob(jobId.sms(id))) as Job | undefined;
        const state = job ? await job.getState() : 'missing';
        if (job && state === 'delayed') await job.promote();
        else if (!job || state === 'completed' || state === 'failed') {
          await job?.remove();
          await this.enqueue([{ id, dueAt: this.clock.now() }]);
        }
      } catch (error) {
        this.logger.warn(
          `Could not run SMS job ${id} now (the reconciler will): ${(error as Error).message}`,
        );
      }
    }
  }

  /** Number of jobs handed to Redis (0 when Redis is away: the reconciler enqueues them later). Never throws. */
  async enqueue(messages: readonly DueSms[]): Promise<number> {
    if (messages.length === 0) return 0;
    if (this.redis.status !== 'ready') {
      this.logger.warn(`Redis unavailable: ${messages.length} SMS left for the reconciler`);
      return 0;
    }
    // The batch leaves in another request's context: each message takes its own request id along.
    const requestId = currentRequestId();
    return this.batches.submit(requestId ? messages.map((message) => ({ ...message, requestId })) : messages);
  }
}
