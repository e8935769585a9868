import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { Clock } from '../../common/clock.js';
import { FieldEncryption, hashToken } from '../../common/crypto/field-encryption.service.js';
import { DomainError, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { jobId, QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { AuditService } from '../audit/audit.service.js';
import type { AlertEntity } from '../alerts/alert.entity.js';
import { afterCommit } from '../notifications/after-commit.js';
import { isEmailAddress, MailService } from '../notifications/mail.service.js';
import { SmsOutboxService } from '../sms/sms-outbox.service.js';
import { SmsQueueService, type DueSms } from '../sms/sms-queue.service.js';
import type { PageChannel, PageEntity } from './page.entity.js';
import { OnCallRotaRepository } from './on-call-rota.repository.js';
import { pageEmail } from './page-texts.js';
import { PagesRepository } from './pages.repository.js';
import { PagingService } from './paging.service.js';

export const PAGE_JOB_OPTIONS = { attempts: 6, backoff: { type: 'exponential', delay: 5_000 } } as const;
const DEFAULT_ACK_MINUTES = 10;
/**
 * With voice calls on, a page's SMS waits this long behind the call: it goes when the call ends (answered or
 * not: the SMS holds the acknowledgement link), or after this if the call's outcome is not known by then.
 */
export const CALL_FIRST_MS = 2 * 60_000;

/** A page's follow-up events (besides `paged`, when a step starts). */
type PageEventType = 'paged' | 'page_sent' | 'page_failed' | 'page_fallback' | 'page_acknowledged';

/** One target of the escalation chain. */
interface PageTarget {
  userId: string | null;
  channel: PageChannel;
  phone?: string;
  email?: string;
}

/**
 * Urgent paging: the first page is written in the alert's transaction with its SMS (and, when the rota asks for
 * it, its voice call) as rows of the SMS outbox, which the SMS pipeline sends exactly once after commit; a
 * delayed job per step escalates (next on-call, then the admins, then the on-call e-mail) until someone
 * acknowledges (the page's link, or the alert acknowledged in the console). The pipeline tells paging how each
 * row ended (`onPageAccepted`, `onPageFailed`, `onCallAnswered`).
 */
@Injectable()
export class PagesService {
  private readonly logger = new Logger(PagesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PagesRepository,
    private readonly rotas: OnCallRotaRepository,
    private readonly clock: Clock,
    private readonly encryption: FieldEncryption,
    private readonly rota: PagingService,
    private readonly mail: MailService,
    private readonly outbox: SmsOutboxService,
    private readonly smsQueue: SmsQueueService,
    private readonly audit: AuditService,
    @InjectQueue(QUEUES.alerts) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An urgent alert was opened (or raised to urgent): page step 0, in the alert's transaction. */
  async pageUrgent(
    manager: EntityManager,
    alert: Pick<AlertEntity, 'id' | 'organisationId' | 'parentId'>,
  ): Promise<void> {
    // Paging is for organisations that set up a rota; the others keep the e-mails of the urgent alert only.
    if (!(await this.rotas.exists(alert.organisationId, manager))) return;
    const existing = await this.repository.findStep(manager, alert.id, 0);
    if (existing) return;
    await this.pageStep(manager, alert, 0);
  }

  /** The escalation job of `step`: pages step + 1 unless the alert or one of its pages was acknowledged. */
  async escalate(alertId: string, step: number): Promise<'paged' | 'acknowledged' | 'exhausted' | 'done'> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.repository.lockAlertForJob(manager, alertId);
      if (!alert || alert.status === 'closed') return 'done';
      if (alert.acknowledgedAt) return 'acknowledged';
      if (await this.repository.anyAcknowledged(manager, alertId)) return 'acknowledged';
      // A replayed job for a step already escalated does nothing.
      if (await this.repository.findStep(manager, alertId, step + 1)) return 'done';
      return (await this.pageStep(manager, alert, step + 1)) ? 'paged' : 'exhausted';
    });
  }

  /**
   * A `paging.send` job (the pipeline before pages went through the SMS outbox, still in Redis after an
   * upgrade): puts the page's pending outbox rows on the SMS queue, which sends them once.
   */
  async send(pageId: string): Promise<'done'> {
    await this.smsQueue.enqueue(await this.outbox.pendingOfPage(pageId));
    return 'done';
  }

  /** The page's SMS or call was accepted by the provider (once per row). */
  async onPageAccepted(manager: EntityManager, pageId: string, kind: 'page' | 'page_call'): Promise<void> {
    const page = await this.repository.findById(manager, pageId);
    if (!page) return;
    if (kind === 'page') await this.repository.markSent(manager, pageId, this.clock.now());
    await this.pageEvent(manager, page, 'page_sent', { channel: kind === 'page' ? 'sms' : 'voice' });
  }

  /**
   * The page's SMS or call failed for good (refused, undelivered; a call busy, not answered, failed). A call
   * falls back to the SMS at once (when it was still waiting behind the call); an SMS that cannot reach the
   * professional pages the next step now rather than after the delay, unless they answered the call.
   */
  async onPageFailed(
    manager: EntityManager,
    pageId: string,
    kind: 'page' | 'page_call',
    reason: string,
  ): Promise<void> {
    const page = await this.repository.findById(manager, pageId);
    if (!page) return;
    await this.pageEvent(manager, page, 'page_failed', {
      channel: kind === 'page' ? 'sms' : 'voice',
      reason: reason.slice(0, 32),
    });
    if (kind === 'page_call') {
      const sms = await this.outbox.pageSmsNow(manager, pageId);
      if (sms) {
        await this.pageEvent(manager, page, 'page_fallback', { channel: 'sms' });
        void afterCommit(manager, () => this.smsQueue.runNow([sms.id]));
      }
      return;
    }
    if (page.status !== 'acknowledged') await this.repository.markFailed(manager, pageId);
    if (await this.outbox.pageCallAnswered(manager, pageId)) return;
    this.logger.warn(`page ${pageId}: SMS failed (${reason.slice(0, 32)}), escalating now`);
    void afterCommit(manager, () => this.scheduleEscalation(page.alertId, page.step, 0, true));
  }

  /** The page's call was answered: its SMS (the acknowledgement link) goes now. */
  async onCallAnswered(manager: EntityManager, pageId: string): Promise<void> {
    const sms = await this.outbox.pageSmsNow(manager, pageId);
    if (sms) void afterCommit(manager, () => this.smsQueue.runNow([sms.id]));
  }

  /** The page's link: acknowledges it (and the alert) once; the alert's console page to redirect to. */
  async acknowledgeByToken(token: string): Promise<string> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('Page');
    return this.dataSource.transaction(async (manager) => {
      // Each SMS attempt of a page has its own link (the outbox's `page_links`); any of them acknowledges.
      const page = await this.repository.lockByLinkHash(manager, hashToken(token));
      if (!page) throw notFound('Page');
      if (page.acknowledgedAt)
        throw new DomainError(
          'gone',
          'page_link_used',
          'This link was already used: open the alert in the console',
        );
      const now = this.clock.now();
      await this.repository.acknowledge(manager, page.id, now);
      const alert = await this.repository.findAlertOrFail(manager, page.alertId);
      if (!alert.acknowledgedAt && alert.status !== 'closed')
        await this.repository.acknowledgeAlert(manager, alert, now);
      await this.event(manager, alert, 'page_acknowledged', page.recipientUserId, {
        pageId: page.id,
        step: page.step,
      });
      await this.audit.record(
        { actorId: page.recipientUserId, organisationId: page.organisationId },
        {
          action: 'alert.page_acknowledge',
          targetType: 'alert',
          targetId: alert.id,
          metadata: { pageId: page.id },
        },
        manager,
      );
      return `${this.config.publicBaseUrl}/alerts/${alert.id}`;
    });
  }

  /**
   * The chain at this instant: the on-call professionals in rota order, then the active organisation admins
   * (their rota mobile if they have one, else e-mail), then the organisation's on-call e-mail.
   */
  private async chain(scope: OrgScope, manager: EntityManager): Promise<PageTarget[]> {
    const { organisationId } = scope;
    const now = this.clock.now();
    const targets: PageTarget[] = (await this.rota.onCall(scope, now)).map((entry) => ({
      userId: entry.userId,
      channel: 'sms' as const,
      phone: entry.phone,
    }));
    const rota = await this.rotas.find(organisationId, manager);
    const admins = await this.repository.activeAdmins(organisationId, manager);
    for (const admin of admins) {
      if (targets.some((target) => target.userId === admin.id)) continue;
      const entry = rota?.entries.find((candidate) => candidate.userId === admin.id);
      targets.push(
        entry
          ? { userId: admin.id, channel: 'sms', phone: this.encryption.decrypt(entry.phoneEnc) }
          : { userId: admin.id, channel: 'email', email: admin.email },
      );
    }
    const organisation = await this.rotas.organisation(organisationId, manager);
    const onCallEmail = organisation?.settings.onCallEmail?.trim();
    if (onCallEmail && isEmailAddress(onCallEmail))
      targets.push({ userId: null, channel: 'email', email: onCallEmail });
    return targets;
  }

  /** Writes the page of `step` (false when the chain is exhausted) and schedules its send and escalation. */
  private async pageStep(
    manager: EntityManager,
    alert: Pick<AlertEntity, 'id' | 'organisationId' | 'parentId'>,
    step: number,
  ): Promise<boolean> {
    const target = (await this.chain({ organisationId: alert.organisationId }, manager))[step];
    if (!target) return false;
    const now = this.clock.now();
    const pageId = await this.repository.insert(manager, {
      organisationId: alert.organisationId,
      alertId: alert.id,
      step,
      recipientUserId: target.userId,
      channel: target.channel,
      status: target.channel === 'sms' ? 'pending' : 'sent',
      phoneEnc: target.phone ? this.encryption.encrypt(target.phone) : null,
      sentAt: target.channel === 'email' ? now : null,
      createdAt: now,
    });
    const rota = await this.rotas.find(alert.organisationId, manager);
    let rows: DueSms[] = [];
    if (target.channel === 'sms' && target.phone) {
      // Staff paging ignores the parents' quiet hours: due now (behind the call when calls are on).
      const voice = rota?.voice ?? false;
      rows = await this.outbox.createPageRows(manager, {
        organisationId: alert.organisationId,
        pageId,
        phoneEnc: this.encryption.encrypt(target.phone),
        smsDueAt: voice ? new Date(now.getTime() + CALL_FIRST_MS) : now,
        callDueAt: voice ? now : null,
      });
    }
    if (target.channel === 'email' && target.email) {
      const { subject, body } = pageEmail(`${this.config.publicBaseUrl}/alerts/${alert.id}`);
      await this.mail.enqueue(
        { to: target.email, subject, body, organisationId: alert.organisationId },
        manager,
      );
    }
    await this.event(manager, alert, 'paged', null, {
      pageId,
      step,
      channel: target.channel,
      voice: rows.length > 1,
      recipientUserId: target.userId,
    });
    const ackMinutes = rota?.ackMinutes ?? DEFAULT_ACK_MINUTES;
    void afterCommit(manager, async () => {
      // Never fails: rows the queue misses are enqueued by the SMS reconciler.
      await this.smsQueue.enqueue(rows);
      await this.scheduleEscalation(alert.id, step, ackMinutes * 60_000);
    });
    return true;
  }

  /**
   * Restores lost escalation jobs (Redis away at commit): the job of the last step of every open,
   * unacknowledged paged alert. Deterministic ids make existing jobs no-ops. A page's SMS and call are outbox
   * rows: the SMS reconciler restores their jobs.
   */
  async reconcile(): Promise<{ escalations: number }> {
    const open = await this.repository.unacknowledged();
    const now = this.clock.now().getTime();
    for (const row of open) {
      const due = new Date(row.created_at).getTime() + (row.ack_minutes ?? DEFAULT_ACK_MINUTES) * 60_000;
      await this.scheduleEscalation(row.alert_id, row.step, Math.max(0, due - now));
    }
    return { escalations: open.length };
  }

  /** `now`: the page failed, escalate at once (its own job id: the delayed job of the step already exists). */
  async scheduleEscalation(alertId: string, step: number, delayMs: number, now = false): Promise<void> {
    const payload: JobPayloads['paging.escalate'] = { alertId, step };
    await this.queue.add('paging.escalate', payload, {
      jobId: `${jobId.pageEscalation(alertId, step)}${now ? '-failed' : ''}`,
      delay: delayMs,
      ...PAGE_JOB_OPTIONS,
    });
  }

  /** An event of a page's alert about one of its SMS or calls. */
  private async pageEvent(
    manager: EntityManager,
    page: PageEntity,
    type: PageEventType,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const alert = await this.repository.findAlert(manager, page.alertId);
    if (!alert) return;
    await this.event(manager, alert, type, null, { pageId: page.id, step: page.step, ...payload });
  }

  private async event(
    manager: EntityManager,
    alert: Pick<AlertEntity, 'id' | 'organisationId' | 'parentId'>,
    type: PageEventType,
    actorId: string | null,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await this.repository.appendAlertEvent(manager, alert, {
      actorId,
      type,
      payload,
      createdAt: this.clock.now(),
    });
  }
}
