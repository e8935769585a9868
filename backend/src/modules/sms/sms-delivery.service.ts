import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { questionnaireLink, renderSms, type QuietHoursSetting, type RenderedSms } from '@lien/shared';
import { Clock } from '../../common/clock.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { FieldEncryption, hashToken } from '../../common/crypto/field-encryption.service.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { Metrics } from '../metrics/metrics.service.js';
import { holidayRegionFor } from '../invitations/holidays.js';
import { isAllowedSendTime, linkExpiry, nextAllowedSendTime, planReminder } from '../invitations/schedule.js';
import { SmsOutboxService } from './sms-outbox.service.js';
import { linkToken } from './link-token.js';
import {
  checkDelayMs,
  done,
  later,
  textMeasure,
  type DeliveryOutcome,
  type TextMeasure,
} from './delivery-outcome.js';
import { OutboxRowSteps } from './outbox-row-steps.js';
import { SmsPageDelivery } from './sms-page-delivery.service.js';
import { SmsProvider, SmsSendError, type SmsSendResult } from './sms-provider.js';
import { Semaphore, SlidingRateLimiter } from './send-gate.js';
import { SmsQueueService } from './sms-queue.service.js';
import { SmsRepository, type SmsWork } from './sms.repository.js';
import { UndeliveredSmsTasks } from './undelivered-sms-tasks.service.js';
import { linkTokenIn } from './sms-text.js';

/**
 * Rows a worker process may claim before a send place is free for them: claims go in statements of many rows
 * (far cheaper per row), while the gap between a row's claim and its send stays short (at most this many rows
 * ahead of the sends: a fraction of a second at full speed).
 */
const CLAIMED_AHEAD = 400;
const SENDABLE_INVITATION = new Set(['planned', 'sent', 'opened']);
/** Provider error codes that mean the number no longer wants our SMS. */
const UNSUBSCRIBED = '21610';

export { linkToken } from './link-token.js';

/**
 * What a job held until its due time works out beforehand, so that at the due instant only the claim, the
 * request and the acceptance remain: the link token, the text, the decrypted number. Each part is used only if
 * the claimed row still has the same inputs (number, language, kind, organisation name, sender, templates).
 */
interface PreparedSend {
  token: string;
  tokenHash: string;
  phoneEnc: string;
  /** Null when it could not be decrypted: the send then decrypts it again, where a failure is handled. */
  phone: string | null;
  textInputs: string;
  rendered: RenderedSms | null;
}

/** Everything the text of a row depends on besides its link token. */
function textInputsOf(work: SmsWork): string {
  return JSON.stringify([
    work.language,
    work.kind,
    work.organisationName,
    work.smsSender,
    work.settings.smsTemplates ?? null,
  ]);
}

/**
 * Sends one outbox row, exactly once. Each call re-reads the row and acts on its status:
 * - pending: cancelled if the parent or the invitation no longer allows it; re-delayed if not due yet (held
 *   until due when that is less than SMS_PREPARE_AHEAD_MS away); moved to
 *   the next allowed time (and shown deferred) if quiet hours now forbid it; otherwise claimed
 *   (pending → sending, guarded), given a fresh link token, rendered, checked for health words, checked again
 *   right before the provider call (a STOP, an answer or quiet hours arriving while it waited stop it), and sent;
 * - sending found by someone other than its claimer (the worker died mid-send): after the send timeout it is
 *   treated as unknown;
 * - unknown (the request may have reached the provider): the provider is asked for a message carrying one of
 *   this row's link tokens: found → adopted; not found after the grace period → sent again;
 * - anything else (queued, sent, delivered, failed, cancelled): nothing to do, whatever the job thinks.
 * The row's state changes are guarded UPDATEs, so concurrent workers, duplicate jobs and webhooks cannot
 * both send.
 */
@Injectable()
export class SmsDeliveryService {
  private readonly logger = new Logger('SmsDelivery');
  /** Rows claimed and not yet answered by the provider (sends under way plus a few claimed just ahead). */
  private readonly claimPlaces: Semaphore;
  /** Requests to the provider under way. */
  private readonly sendPlaces: Semaphore;
  private readonly sendRate: SlidingRateLimiter;
  private allowedMinute = Number.NaN;
  private readonly allowedThisMinute = new Map<string, boolean>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SmsRepository,
    private readonly outbox: SmsOutboxService,
    private readonly provider: SmsProvider,
    private readonly queue: SmsQueueService,
    private readonly encryption: FieldEncryption,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly webhooks: WebhookOutbox,
    private readonly undelivered: UndeliveredSmsTasks,
    private readonly pages: SmsPageDelivery,
    private readonly steps: OutboxRowSteps,
  ) {
    this.claimPlaces = new Semaphore(config.smsDelivery.concurrency + CLAIMED_AHEAD);
    this.sendPlaces = new Semaphore(config.smsDelivery.concurrency);
    this.sendRate = new SlidingRateLimiter(config.smsRatePerSecond);
  }

  async process(smsMessageId: string, depth = 0, held = false): Promise<DeliveryOutcome> {
    // A row that another process keeps moving under our feet: come back shortly rather than loop.
    if (depth > 3) return later(1_000, 'check');
    const work = await this.repository.loadWork(smsMessageId);
    // Not a parent's SMS: an urgent page's SMS or call (or a row gone).
    if (!work) return this.pages.process(smsMessageId);
    switch (work.status) {
      case 'pending':
        return this.processPending(work, depth, held);
      case 'sending':
        return this.processSending(work, depth);
      case 'unknown':
        return this.processUnknown(work, depth);
      default:
        return done(work.status);
    }
  }

  private sendable(work: SmsWork, now: Date): boolean {
    if (work.parentStatus !== 'active') return false;
    if (!SENDABLE_INVITATION.has(work.invitationStatus)) return false;
    return !(work.invitationExpiresAt && work.invitationExpiresAt.getTime() <= now.getTime());
  }

  /**
   * A pending row: cancelled if the parent or the invitation no longer allows it; sent if due; held until its
   * due time if that is within SMS_PREPARE_AHEAD_MS (once: a job taken early waits here, so that rows due at
   * the same instant are claimed together); otherwise back to the queue until then.
   */
  private async processPending(work: SmsWork, depth: number, held: boolean): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    if (!this.sendable(work, now)) {
      await this.repository.transition(work.id, 'pending', 'cancelled', now);
      return done('cancelled');
    }
    const wait = work.dueAt.getTime() - now.getTime();
    if (wait > 0) {
      const ahead = this.config.smsDelivery.prepareAheadMs;
      // Back to the queue, to be taken again `ahead` before the due time (or at it, for a row already held).
      if (held || wait > ahead) return later(held ? wait : wait - ahead, 'not_due');
      const prepared = this.prepare(work);
      await new Promise((resolve) => setTimeout(resolve, wait));
      return this.claimAndSend(work.id, depth, true, prepared);
    }
    return this.claimAndSend(work.id, depth, held);
  }

  private prepare(work: SmsWork): PreparedSend {
    const token = linkToken();
    return {
      token,
      tokenHash: hashToken(token),
      phoneEnc: work.phoneEnc,
      phone: this.decryptOrNull(work.phoneEnc),
      textInputs: textInputsOf(work),
      rendered: this.render(work, token),
    };
  }

  /**
   * `isAllowedSendTime`, remembered for the current minute: its answer depends only on the local minute and day,
   * so it is the same for every row of a zone and quiet-hours setting within one UTC minute (zone offsets are
   * whole minutes), and thousands of rows due together need one computation.
   */
  private allowedNow(now: Date, timeZone: string, quietHours: QuietHoursSetting, region: string): boolean {
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.allowedMinute) {
      this.allowedMinute = minute;
      this.allowedThisMinute.clear();
    }
    const key = `${timeZone}|${region}|${JSON.stringify(quietHours)}`;
    let allowed = this.allowedThisMinute.get(key);
    if (allowed === undefined) {
      allowed = isAllowedSendTime(now, timeZone, quietHours, region);
      this.allowedThisMinute.set(key, allowed);
    }
    return allowed;
  }

  private decryptOrNull(ciphertext: string): string | null {
    try {
      return this.encryption.decrypt(ciphertext);
    } catch {
      return null;
    }
  }

  private render(work: SmsWork, token: string): RenderedSms | null {
    return renderSms({
      templates: work.settings.smsTemplates,
      language: work.language,
      kind: work.kind,
      organisation: { name: work.organisationName, smsSender: work.smsSender },
      link: questionnaireLink(this.config.publicBaseUrl, token),
    });
  }

  /**
   * Claims the row (pending → sending, guarded: still due, parent active, invitation open) and sends it. A
   * claim place is taken first, so that only a bounded number of claimed rows wait for a send place (see
   * CLAIMED_AHEAD). A row that cannot be claimed any more is read again and decided on.
   */
  private async claimAndSend(
    smsMessageId: string,
    depth: number,
    held: boolean,
    prepared?: PreparedSend,
  ): Promise<DeliveryOutcome> {
    const release = await this.claimPlaces.acquire();
    try {
      const token = prepared?.token ?? linkToken();
      const tokenHash = prepared?.tokenHash ?? hashToken(token);
      const claimed = await this.repository.claimDue(smsMessageId, tokenHash, this.clock.now());
      if (claimed) return await this.sendClaimed(claimed, token, depth, release, prepared);
    } finally {
      release();
    }
    return this.process(smsMessageId, depth + 1, held);
  }

  /** A row this call claimed (now 'sending', with the link of `token`): check, render, send, record. */
  private async sendClaimed(
    work: SmsWork,
    token: string,
    depth: number,
    releasePlace: () => void,
    prepared?: PreparedSend,
  ): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    if (work.attempts > this.config.smsDelivery.maxAttempts) {
      await this.repository.transition(work.id, 'sending', 'failed', now, { errorCode: 'too_many_attempts' });
      this.metrics.smsOutcome('failed');
      return done('failed');
    }
    const region = holidayRegionFor({ timeZone: work.timeZone, departement: work.departement });
    const quietHours = work.settings.quietHours;
    if (!this.allowedNow(now, work.timeZone, quietHours, region)) {
      const next = nextAllowedSendTime(now, work.timeZone, quietHours, region);
      releasePlace();
      if (!(await this.repository.unclaim(work.id, hashToken(token), next, now)))
        return this.process(work.id, depth + 1);
      if (work.kind === 'invitation') await this.repository.deferInvitation(work.invitationId, next);
      return later(next.getTime() - now.getTime(), 'deferred');
    }
    const rendered =
      prepared?.token === token && prepared.textInputs === textInputsOf(work)
        ? prepared.rendered
        : this.render(work, token);
    if (!rendered) {
      await this.repository.transition(work.id, 'sending', 'failed', now, { errorCode: 'unsafe_text' });
      this.metrics.smsOutcome('failed');
      return done('failed');
    }
    let result: SmsSendResult;
    const releaseSend = await this.sendPlaces.acquire();
    try {
      await this.sendRate.take();
      // The wait for a send place and the rate limit can be long: look again right before the provider call.
      const verdict = await this.recheck(
        work,
        prepared?.token === token ? prepared.tokenHash : hashToken(token),
      );
      if (verdict !== 'send') {
        releaseSend();
        releasePlace();
        // Cancelled by the check (or moved by someone else meanwhile): the row says what happened.
        return verdict === 'reread' ? this.process(work.id, depth + 1) : verdict;
      }
      result = await this.provider.send({
        smsMessageId: work.id,
        organisationId: work.organisationId,
        to:
          prepared?.phone && prepared.phoneEnc === work.phoneEnc
            ? prepared.phone
            : this.encryption.decrypt(work.phoneEnc),
        body: rendered.text,
        sender: work.smsSender,
        statusCallbackUrl: `${this.config.publicBaseUrl}/api/webhooks/twilio/status?m=${work.id}`,
      });
    } catch (error) {
      releaseSend();
      releasePlace();
      return this.handleFailure(work, error);
    }
    releaseSend();
    releasePlace();
    await this.recordAcceptance(
      work.id,
      result,
      { segments: rendered.analysis.segments, encoding: rendered.analysis.encoding },
      work,
    );
    this.metrics.smsOutcome('accepted', work.dueAt, this.clock.now());
    return done(result.status);
  }

  /**
   * The last checks of a claimed row, immediately before the provider call: quiet hours (in memory) and, in one
   * batched statement, the parent still active and the invitation still open (a STOP or an answer received while
   * the row waited cancels it). Returns 'send', or the outcome of a row that must not be sent now.
   */
  private async recheck(work: SmsWork, tokenHash: string): Promise<'send' | 'reread' | DeliveryOutcome> {
    const now = this.clock.now();
    const region = holidayRegionFor({ timeZone: work.timeZone, departement: work.departement });
    const quietHours = work.settings.quietHours;
    if (!this.allowedNow(now, work.timeZone, quietHours, region)) {
      const next = nextAllowedSendTime(now, work.timeZone, quietHours, region);
      if (!(await this.repository.unclaim(work.id, tokenHash, next, now))) return 'reread';
      if (work.kind === 'invitation') await this.repository.deferInvitation(work.invitationId, next);
      return later(next.getTime() - now.getTime(), 'deferred');
    }
    return (await this.repository.stillSendable(work.id, tokenHash, now)) ? 'send' : 'reread';
  }

  private async handleFailure(work: SmsWork, error: unknown): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    if (!(error instanceof SmsSendError) || error.kind === 'unknown') {
      const unknown = await this.steps.markUnknown(work, error, now);
      // Not the provider's answer (a bug, the database...): worth an error in the logs.
      if (!(error instanceof SmsSendError))
        this.logger.error(`SMS ${work.id}: unexpected error while sending (${(error as Error).name})`);
      this.metrics.smsOutcome('unknown');
      return unknown;
    }
    const retried = await this.steps.retryLater(work, error, now);
    if (retried) return retried;
    await this.steps.fail(work, error, now, async (manager) => {
      await this.webhooks.emit({ organisationId: work.organisationId }, manager, 'sms.failed', {
        smsMessageId: work.id,
        parentId: work.parentId,
        kind: work.kind,
        errorCode: error.code,
      });
      if (work.kind === 'invitation')
        await this.repository.cancelUnsentInvitation(manager, work.invitationId);
      if (error.code === UNSUBSCRIBED) {
        await this.outbox.stopParent(
          manager,
          work.parentId,
          'opted_out',
          { actorId: null, organisationId: work.organisationId },
          { source: 'provider_21610' },
        );
      } else if (error.kind === 'permanent' && work.kind === 'invitation') {
        // The provider refuses this number for good: the referent checks it now, not when the link expires.
        await this.undelivered.open(manager, {
          smsMessageId: work.id,
          invitationId: work.invitationId,
          parentId: work.parentId,
          organisationId: work.organisationId,
          errorCode: /^\d{1,8}$/.test(error.code) ? error.code : null,
        });
      }
    });
    this.metrics.smsOutcome('failed');
    return done('failed');
  }

  private async processSending(work: SmsWork, depth: number): Promise<DeliveryOutcome> {
    return (await this.steps.releaseStale(work)) ?? this.process(work.id, depth + 1);
  }

  private async processUnknown(work: SmsWork, depth: number): Promise<DeliveryOutcome> {
    const hashes = await this.repository.linkHashes(work.id);
    let found: SmsSendResult | null;
    try {
      found = await this.provider.findSent({
        smsMessageId: work.id,
        to: this.encryption.decrypt(work.phoneEnc),
        isOurs: (body) => {
          const token = linkTokenIn(body);
          return token !== null && hashes.has(hashToken(token));
        },
      });
    } catch (error) {
      // The provider cannot be asked now: ask again later, never send blind.
      this.logger.warn(`SMS ${work.id}: provider lookup failed (${(error as Error).name}); will check again`);
      return later(this.checkDelayMs(), 'check');
    }
    if (found) {
      await this.recordAcceptance(work.id, found, textMeasure(found.body), work);
      return done(found.status);
    }
    const settled = await this.steps.notAtProvider(work, (now) => this.sendable(work, now));
    return settled ?? this.process(work.id, depth + 1);
  }

  /**
   * The provider accepted a message (answer to our send, a found unknown, or a callback arriving first): the
   * row gets its sid and status, the invitation is marked sent with its expiry, and the next reminder is
   * planned, all in one statement. Once per row: a row that already has a sid is left as is.
   */
  async recordAcceptance(
    smsMessageId: string,
    result: SmsSendResult,
    text: TextMeasure,
    known?: SmsWork,
  ): Promise<void> {
    const work = known ?? (await this.repository.loadWork(smsMessageId));
    if (!work) return;
    const now = this.clock.now();
    const settings = work.settings;
    let reminder: { dueAt: Date; deferredFrom: Date | null } | null = null;
    if (settings.reminders.count > 0) {
      const region = holidayRegionFor({ timeZone: work.timeZone, departement: work.departement });
      const dueAt = planReminder(
        now,
        settings.reminders.afterHours,
        work.timeZone,
        settings.quietHours,
        region,
      );
      const nominal = new Date(now.getTime() + settings.reminders.afterHours * 3_600_000);
      reminder = { dueAt, deferredFrom: dueAt.getTime() === nominal.getTime() ? null : nominal };
    }
    const outcome = await this.repository.acceptAndPlan(
      smsMessageId,
      { sid: result.sid, status: result.status, ...text },
      now,
      {
        expiresAt: linkExpiry(now, settings.linkExpiryDays, work.timeZone),
        reminder,
        reminderCount: settings.reminders.count,
      },
    );
    if (!outcome.accepted) {
      const kept = await this.repository.providerSid(smsMessageId);
      if (kept !== null && kept !== result.sid) {
        this.logger.error(
          `SMS ${smsMessageId}: provider reports a second message (${result.sid}); kept ${kept}`,
        );
      }
      return;
    }
    if (outcome.reminder) await this.queue.enqueue([outcome.reminder]);
  }

  /** How soon a send of unknown outcome is checked (and re-checked) with the provider. */
  private checkDelayMs(): number {
    return checkDelayMs(this.config.smsDelivery.unknownGraceMs);
  }
}
