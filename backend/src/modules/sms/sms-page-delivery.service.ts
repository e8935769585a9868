import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { FieldEncryption, hashToken } from '../../common/crypto/field-encryption.service.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { PagesService } from '../paging/pages.service.js';
import { pageAckLink, pageLinkTokenIn, pageSmsText, pageTwiml } from '../paging/page-texts.js';
import {
  checkDelayMs,
  done,
  later,
  textMeasure,
  type DeliveryOutcome,
  type TextMeasure,
} from './delivery-outcome.js';
import { OutboxRowSteps } from './outbox-row-steps.js';
import { PageOutboxRepository, type PageWork } from './page-outbox.repository.js';
import { SmsProvider, SmsSendError, type SmsSendResult } from './sms-provider.js';
import { SmsRepository } from './sms.repository.js';
import { linkToken } from './link-token.js';

/**
 * Sends an urgent page's outbox row (kind `page`: the SMS with its acknowledgement link; `page_call`: the voice
 * call), exactly once, with the same states as a parent's SMS: pending → sending (guarded claim) → the provider
 * → queued, or back to pending (retry), or unknown (checked with the provider before anything is sent again), or
 * failed. Differences: no quiet hours (staff paging is urgent), the row is cancelled once the page no longer
 * matters (acknowledged, alert closed), and its outcomes are told to paging (sent, failed: fallback, escalation).
 */
@Injectable()
export class SmsPageDelivery {
  private readonly logger = new Logger('SmsPageDelivery');

  constructor(
    private readonly dataSource: DataSource,
    private readonly rows: SmsRepository,
    private readonly repository: PageOutboxRepository,
    private readonly provider: SmsProvider,
    private readonly encryption: FieldEncryption,
    private readonly clock: Clock,
    private readonly pages: PagesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly steps: OutboxRowSteps,
  ) {}

  async process(id: string, depth = 0): Promise<DeliveryOutcome> {
    if (depth > 3) return later(1_000, 'check');
    const work = await this.repository.loadPageWork(id);
    if (!work) return done('missing');
    switch (work.status) {
      case 'pending':
        return this.processPending(work, depth);
      case 'sending':
        return this.processSending(work, depth);
      case 'unknown':
        return this.processUnknown(work, depth);
      default:
        return done(work.status);
    }
  }

  private async processPending(work: PageWork, depth: number): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    if (!work.wanted) {
      await this.rows.transition(work.id, 'pending', 'cancelled', now, { errorCode: 'page_not_needed' });
      return done('cancelled');
    }
    const wait = work.dueAt.getTime() - now.getTime();
    if (wait > 0) return later(wait, 'not_due');
    const token = work.kind === 'page' ? linkToken() : null;
    const claimed = await this.repository.claimPage(work.id, token ? hashToken(token) : null, now);
    if (!claimed) return this.process(work.id, depth + 1);
    return this.sendClaimed(claimed, token);
  }

  private async sendClaimed(work: PageWork, token: string | null): Promise<DeliveryOutcome> {
    if (work.attempts > this.config.smsDelivery.maxAttempts)
      return this.fail(work, new SmsSendError('permanent', 'too_many_attempts', 'too many attempts'));
    const statusCallbackUrl = `${this.config.publicBaseUrl}/api/webhooks/twilio/status?m=${work.id}`;
    let result: SmsSendResult;
    let body: string | null = null;
    try {
      const to = this.encryption.decrypt(work.phoneEnc);
      if (work.kind === 'page') {
        body = pageSmsText(pageAckLink(this.config.publicBaseUrl, token!));
        result = await this.provider.send({
          smsMessageId: work.id,
          organisationId: work.organisationId,
          to,
          body,
          sender: work.smsSender,
          statusCallbackUrl,
        });
      } else {
        result = await this.provider.call({
          smsMessageId: work.id,
          organisationId: work.organisationId,
          to,
          twiml: pageTwiml(),
          statusCallbackUrl,
        });
      }
    } catch (error) {
      return this.handleFailure(work, error);
    }
    await this.accept(work.id, result, textMeasure(body));
    return done(result.status);
  }

  /**
   * The provider has the SMS or call (its answer, a lookup, or a status callback arriving first): the row gets
   * its sid, once, and paging records the page as sent, in one transaction.
   */
  async accept(id: string, result: SmsSendResult, text: TextMeasure): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const accepted = await this.repository.acceptPage(manager, id, { ...result, ...text }, now);
      if (accepted) await this.pages.onPageAccepted(manager, accepted.pageId, accepted.kind);
    });
  }

  private async handleFailure(work: PageWork, error: unknown): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    if (!(error instanceof SmsSendError) || error.kind === 'unknown')
      return this.steps.markUnknown(work, error, now);
    return (await this.steps.retryLater(work, error, now)) ?? this.fail(work, error);
  }

  /** Failed for good: paging falls back (a call → the SMS now) or escalates (the SMS → the next person). */
  private async fail(work: PageWork, error: SmsSendError): Promise<DeliveryOutcome> {
    await this.steps.fail(work, error, this.clock.now(), (manager) =>
      this.pages.onPageFailed(manager, work.pageId, work.kind, error.code),
    );
    this.logger.warn(`page ${work.kind === 'page' ? 'SMS' : 'call'} ${work.id} failed (${error.code})`);
    return done('failed');
  }

  private async processSending(work: PageWork, depth: number): Promise<DeliveryOutcome> {
    return (await this.steps.releaseStale(work)) ?? this.process(work.id, depth + 1);
  }

  private async processUnknown(work: PageWork, depth: number): Promise<DeliveryOutcome> {
    const since = work.lastAttemptAt ?? work.dueAt;
    let found: SmsSendResult | null;
    try {
      const to = this.encryption.decrypt(work.phoneEnc);
      if (work.kind === 'page') {
        const hashes = await this.repository.linkHashes(work.id);
        found = await this.provider.findSent({
          smsMessageId: work.id,
          to,
          isOurs: (body) => {
            const token = pageLinkTokenIn(body);
            return token !== null && hashes.has(hashToken(token));
          },
        });
      } else {
        found = await this.provider.findCall({
          smsMessageId: work.id,
          to,
          since,
          taken: await this.repository.callSidsSince(since),
        });
      }
    } catch (error) {
      // The provider cannot be asked now: ask again later, never send blind.
      this.logger.warn(`page row ${work.id}: provider lookup failed (${(error as Error).name})`);
      return later(checkDelayMs(this.config.smsDelivery.unknownGraceMs), 'check');
    }
    if (found) {
      await this.accept(work.id, found, textMeasure(found.body));
      return done(found.status);
    }
    return (await this.steps.notAtProvider(work, () => work.wanted)) ?? this.process(work.id, depth + 1);
  }
}
