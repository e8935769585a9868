import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import {
  backoffMs,
  checkDelayMs,
  checkWithinGrace,
  done,
  later,
  waitForClaimer,
  type DeliveryOutcome,
} from './delivery-outcome.js';
import { SmsSendError } from './sms-provider.js';
import { SmsRepository, type OutboxRow } from './sms.repository.js';

/**
 * The steps a parent's SMS (`sms-delivery.service.ts`) and a page's SMS or call (`sms-page-delivery.service.ts`)
 * take alike, through the same guarded transitions. A step gives the job's outcome, or null when the caller goes
 * on: it reads the row again (it moved, or it may be sent again), or, after `retryLater`, fails it.
 */
@Injectable()
export class OutboxRowSteps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: SmsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A row in `sending` that its claimer still holds is waited for; once stale, it is marked so (then unknown). */
  async releaseStale(work: OutboxRow): Promise<DeliveryOutcome | null> {
    const now = this.clock.now();
    const started = work.lastAttemptAt ?? work.dueAt;
    const wait = waitForClaimer(started, now, this.config.smsDelivery.sendTimeoutMs);
    if (wait) return wait;
    await this.rows.markStale(work.id, started, now);
    return null;
  }

  /**
   * The send may have reached the provider (no answer, or an error of ours before we knew): unknown, looked for
   * at the provider before anything is sent again.
   */
  async markUnknown(work: OutboxRow, error: unknown, now: Date): Promise<DeliveryOutcome> {
    const known = error instanceof SmsSendError;
    await this.rows.transition(work.id, 'sending', 'unknown', now, {
      errorCode: known ? error.code : 'internal_error',
      errorMessage: known ? error.message : (error as Error).name,
    });
    return later(checkDelayMs(this.config.smsDelivery.unknownGraceMs), 'check');
  }

  /** A refusal worth retrying, with attempts left: back to pending after the backoff. Null for any other. */
  async retryLater(work: OutboxRow, error: SmsSendError, now: Date): Promise<DeliveryOutcome | null> {
    if (error.kind !== 'retry' || work.attempts >= this.config.smsDelivery.maxAttempts) return null;
    const delay = backoffMs(work.attempts, this.config.smsDelivery.retryBaseMs);
    await this.rows.transition(work.id, 'sending', 'pending', now, {
      dueAt: new Date(now.getTime() + delay),
      errorCode: error.code,
      errorMessage: error.message,
    });
    return later(delay, 'retry');
  }

  /** Failed for good; `then`, in the same transaction and only if this call moved the row, tells its room. */
  async fail(
    work: OutboxRow,
    error: SmsSendError,
    now: Date,
    then: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const moved = await this.rows.transition(
        work.id,
        'sending',
        'failed',
        now,
        { errorCode: error.code, errorMessage: error.message },
        manager,
      );
      if (moved) await then(manager);
    });
  }

  /**
   * An unknown send the provider does not have: asked again within the grace period; after it, never accepted,
   * so back to pending if `wanted` still (sent again: null) or cancelled.
   */
  async notAtProvider(work: OutboxRow, wanted: (now: Date) => boolean): Promise<DeliveryOutcome | null> {
    const now = this.clock.now();
    const wait = checkWithinGrace(
      work.lastAttemptAt ?? work.dueAt,
      now,
      this.config.smsDelivery.unknownGraceMs,
    );
    if (wait) return wait;
    const next = wanted(now) ? 'pending' : 'cancelled';
    const moved = await this.rows.transition(work.id, 'unknown', next, now, { errorCode: 'not_at_provider' });
    return !moved || next === 'pending' ? null : done(next);
  }
}
