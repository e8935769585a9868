import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { jobId, QUEUES } from '../../queue/jobs.js';
import { smsJob } from './sms-queue.service.js';
import { SmsRepository, type ReconcileCandidate } from './sms.repository.js';

export interface ReconcileReport {
  /** Outbox rows looked at (not final, due within the horizon). */
  checked: number;
  /** Jobs created because none existed (Redis wiped, enqueue failed at commit time...). */
  added: number;
  /** Finished jobs whose row still needs work, replaced by a new job. */
  replaced: number;
  /** Delayed jobs of rows already due, made runnable now. */
  promoted: number;
}

const HORIZON_MS = 24 * 3_600_000;
const BATCH = 1_000;
const PARALLEL = 100;

/**
 * Postgres is the source of truth; Redis only holds jobs. Every non-final outbox row due within the next 24 h
 * gets a job if it has none (deterministic job id, so running this twice, or alongside the enrolment path, adds
 * nothing twice). Safe at any time: the worker re-reads the row before doing anything.
 */
@Injectable()
export class SmsReconciler {
  private readonly logger = new Logger('SmsReconciler');

  constructor(
    @InjectQueue(QUEUES.sms) private readonly queue: Queue,
    private readonly repository: SmsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + HORIZON_MS);
    const report: ReconcileReport = { checked: 0, added: 0, replaced: 0, promoted: 0 };
    let after: { dueAt: Date; id: string } | null = null;
    for (;;) {
      const candidates = await this.repository.reconcileCandidates(horizon, after, BATCH);
      for (let start = 0; start < candidates.length; start += PARALLEL) {
        await Promise.all(
          candidates
            .slice(start, start + PARALLEL)
            .map((candidate) => this.reconcileOne(candidate, now, report)),
        );
      }
      report.checked += candidates.length;
      const last = candidates.at(-1);
      if (!last || candidates.length < BATCH) break;
      after = { dueAt: last.dueAt, id: last.id };
    }
    if (report.added + report.replaced > 0) {
      this.logger.log(
        `Reconciled SMS jobs: ${report.added} added, ${report.replaced} replaced, ${report.promoted} promoted`,
      );
    }
    return report;
  }

  private async reconcileOne(
    candidate: ReconcileCandidate,
    now: Date,
    report: ReconcileReport,
  ): Promise<void> {
    const id = jobId.sms(candidate.id);
    const job = (await this.queue.getJob(id)) as Job | undefined;
    if (!job) {
      await this.add(candidate, now);
      report.added += 1;
      return;
    }
    const state = await job.getState();
    if (state === 'completed' || state === 'failed' || state === 'unknown') {
      try {
        await job.remove();
      } catch {
        return; // picked up meanwhile: it re-reads the row anyway
      }
      await this.add(candidate, now);
      report.replaced += 1;
      return;
    }
    if (state === 'delayed' && candidate.status === 'pending' && candidate.dueAt.getTime() <= now.getTime()) {
      try {
        await job.promote();
        report.promoted += 1;
      } catch {
        // already moved on
      }
    }
  }

  private async add(candidate: ReconcileCandidate, now: Date): Promise<void> {
    // Rows waiting for a provider check are looked at now; the worker decides when to look again.
    const dueAt = candidate.status === 'pending' ? candidate.dueAt : now;
    const job = smsJob({ id: candidate.id, dueAt }, now, this.config.smsDelivery.prepareAheadMs);
    await this.queue.add(job.name, job.data, job.opts);
  }
}
