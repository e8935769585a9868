import { randomBytes } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { Clock } from '../../common/clock.js';
import { FieldEncryption, hashToken } from '../../common/crypto/field-encryption.service.js';
import { DomainError, notFound } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { jobId, QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { AuditService } from '../audit/audit.service.js';
import { AlertEntity } from '../alerts/alert.entity.js';
import { FollowUpEventEntity } from '../alerts/follow-up-event.entity.js';
import { afterCommit } from '../notifications/after-commit.js';
import { isEmailAddress, MailService } from '../notifications/mail.service.js';
import { OrganisationEntity } from '../organisations/organisation.entity.js';
import { SmsProvider, SmsSendError } from '../sms/sms-provider.js';
import { UserEntity } from '../users/user.entity.js';
import { OnCallRotaEntity } from './on-call-rota.entity.js';
import { PageEntity, type PageChannel } from './page.entity.js';
import { PagingService } from './paging.service.js';

/** The SMS of a page: no name, no score, no health word; only the acknowledgement link. */
export function pageSmsText(link: string): string {
  return `Lien : une alerte urgente vous attend, ouvrez ${link}`;
}

export function pageEmail(consoleLink: string): { subject: string; body: string } {
  return {
    subject: 'Lien : une alerte urgente attend une prise en charge',
    body: `Une alerte urgente de votre organisation attend une prise en charge dans Lien et personne ne l'a encore prise.\n\nOuvrir dans la console : ${consoleLink}\n\nCe message ne contient volontairement aucune information personnelle.`,
  };
}

export const PAGE_JOB_OPTIONS = { attempts: 6, backoff: { type: 'exponential', delay: 5_000 } } as const;
const DEFAULT_ACK_MINUTES = 10;

/** One target of the escalation chain. */
interface PageTarget {
  userId: string | null;
  channel: PageChannel;
  phone?: string;
  email?: string;
}

/**
 * Urgent paging: the first page is written in the alert's transaction and sent after commit by a job with a
 * deterministic id; a delayed job per step escalates (next on-call, then the admins, then the on-call e-mail)
 * until someone acknowledges (the page's link, or the alert acknowledged in the console).
 */
@Injectable()
export class PagesService {
  private readonly logger = new Logger(PagesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly encryption: FieldEncryption,
    private readonly rota: PagingService,
    private readonly mail: MailService,
    private readonly provider: SmsProvider,
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
    if (!(await manager.existsBy(OnCallRotaEntity, { organisationId: alert.organisationId }))) return;
    const existing = await manager.findOneBy(PageEntity, { alertId: alert.id, step: 0 });
    if (existing) return;
    await this.pageStep(manager, alert, 0);
  }

  /** The escalation job of `step`: pages step + 1 unless the alert or one of its pages was acknowledged. */
  async escalate(alertId: string, step: number): Promise<'paged' | 'acknowledged' | 'exhausted' | 'done'> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await manager
        .createQueryBuilder(AlertEntity, 'alert')
        .setLock('pessimistic_write')
        .where('alert.id = :alertId', { alertId })
        .getOne();
      if (!alert || alert.status === 'closed') return 'done';
      if (alert.acknowledgedAt) return 'acknowledged';
      const acknowledged = await manager.count(PageEntity, {
        where: { alertId, status: 'acknowledged' },
      });
      if (acknowledged > 0) return 'acknowledged';
      // A replayed job for a step already escalated does nothing.
      if (await manager.findOneBy(PageEntity, { alertId, step: step + 1 })) return 'done';
      return (await this.pageStep(manager, alert, step + 1)) ? 'paged' : 'exhausted';
    });
  }

  /** The send job: sends a pending SMS page once (a replay for a page already sent does nothing). */
  async send(pageId: string): Promise<'sent' | 'done' | 'failed'> {
    return this.dataSource.transaction(async (manager) => {
      const page = await manager
        .createQueryBuilder(PageEntity, 'page')
        .setLock('pessimistic_write')
        .where('page.id = :pageId', { pageId })
        .getOne();
      if (!page || page.status !== 'pending' || page.channel !== 'sms' || !page.phoneEnc) return 'done';
      const organisation = await manager.findOneByOrFail(OrganisationEntity, { id: page.organisationId });
      const token = randomBytes(32).toString('base64url');
      const now = this.clock.now();
      try {
        const result = await this.provider.send({
          smsMessageId: page.id,
          organisationId: page.organisationId,
          to: this.encryption.decrypt(page.phoneEnc),
          body: pageSmsText(`${this.config.publicBaseUrl}/api/paging/ack/${token}`),
          sender: organisation.smsSender,
          statusCallbackUrl: `${this.config.publicBaseUrl}/api/webhooks/twilio/status?m=${page.id}`,
        });
        await manager.update(
          PageEntity,
          { id: page.id },
          { status: 'sent', tokenHash: hashToken(token), providerSid: result.sid, sentAt: now },
        );
        return 'sent';
      } catch (error) {
        if (error instanceof SmsSendError && error.kind === 'permanent') {
          // An unreachable number: the next step is paged at once rather than after the delay.
          await manager.update(PageEntity, { id: page.id }, { status: 'failed' });
          this.logger.warn(`page ${page.id} refused by the provider (${error.code}): escalating now`);
          void afterCommit(manager, () => this.scheduleEscalation(page.alertId, page.step, 0, true));
          return 'failed';
        }
        throw error;
      }
    });
  }

  /** The page's link: acknowledges it (and the alert) once; the alert's console page to redirect to. */
  async acknowledgeByToken(token: string): Promise<string> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('Page');
    return this.dataSource.transaction(async (manager) => {
      const page = await manager
        .createQueryBuilder(PageEntity, 'page')
        .setLock('pessimistic_write')
        .where('page.tokenHash = :hash', { hash: hashToken(token) })
        .getOne();
      if (!page) throw notFound('Page');
      if (page.acknowledgedAt)
        throw new DomainError(
          'gone',
          'page_link_used',
          'This link was already used: open the alert in the console',
        );
      const now = this.clock.now();
      await manager.update(PageEntity, { id: page.id }, { status: 'acknowledged', acknowledgedAt: now });
      const alert = await manager.findOneByOrFail(AlertEntity, { id: page.alertId });
      if (!alert.acknowledgedAt && alert.status !== 'closed') {
        await manager.update(
          AlertEntity,
          { id: alert.id },
          {
            acknowledgedAt: now,
            updatedAt: now,
            ...(alert.status === 'open' ? { status: 'acknowledged' } : {}),
          },
        );
      }
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
  private async chain(manager: EntityManager, organisationId: string): Promise<PageTarget[]> {
    const now = this.clock.now();
    const targets: PageTarget[] = (await this.rota.onCall(organisationId, now)).map((entry) => ({
      userId: entry.userId,
      channel: 'sms' as const,
      phone: entry.phone,
    }));
    const rota = await manager.findOneBy(OnCallRotaEntity, { organisationId });
    const admins = await manager.find(UserEntity, {
      where: { organisationId, role: In(['org_admin']), active: true },
      select: { id: true, email: true },
      order: { email: 'ASC' },
    });
    for (const admin of admins) {
      if (targets.some((target) => target.userId === admin.id)) continue;
      const entry = rota?.entries.find((candidate) => candidate.userId === admin.id);
      targets.push(
        entry
          ? { userId: admin.id, channel: 'sms', phone: this.encryption.decrypt(entry.phoneEnc) }
          : { userId: admin.id, channel: 'email', email: admin.email },
      );
    }
    const organisation = await manager.findOneByOrFail(OrganisationEntity, { id: organisationId });
    const onCallEmail = organisation.settings.onCallEmail?.trim();
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
    const target = (await this.chain(manager, alert.organisationId))[step];
    if (!target) return false;
    const now = this.clock.now();
    const inserted = await manager.insert(PageEntity, {
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
    const pageId = (inserted.identifiers[0] as { id: string }).id;
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
      recipientUserId: target.userId,
    });
    const ackMinutes =
      (await manager.findOneBy(OnCallRotaEntity, { organisationId: alert.organisationId }))?.ackMinutes ??
      DEFAULT_ACK_MINUTES;
    void afterCommit(manager, async () => {
      if (target.channel === 'sms') await this.scheduleSend(pageId);
      await this.scheduleEscalation(alert.id, step, ackMinutes * 60_000);
    });
    return true;
  }

  /**
   * Restores lost jobs (Redis away at commit): the send job of every pending SMS page and the escalation job of
   * the last step of every open, unacknowledged paged alert. Deterministic ids make existing jobs no-ops.
   */
  async reconcile(): Promise<{ sends: number; escalations: number }> {
    const pending = await this.dataSource.manager.find(PageEntity, {
      where: { status: 'pending', channel: 'sms' },
      select: { id: true },
      take: 500,
    });
    for (const page of pending) await this.scheduleSend(page.id);
    const open = await this.dataSource.query<
      Array<{ alert_id: string; step: number; created_at: Date; ack_minutes: number | null }>
    >(
      `SELECT DISTINCT ON (p.alert_id) p.alert_id, p.step, p.created_at, r.ack_minutes
         FROM pages p
         JOIN alerts a ON a.id = p.alert_id
         LEFT JOIN on_call_rotas r ON r.organisation_id = p.organisation_id
        WHERE a.status <> 'closed' AND a.acknowledged_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM pages q WHERE q.alert_id = p.alert_id AND q.status = 'acknowledged')
        ORDER BY p.alert_id, p.step DESC
        LIMIT 500`,
    );
    const now = this.clock.now().getTime();
    for (const row of open) {
      const due = new Date(row.created_at).getTime() + (row.ack_minutes ?? DEFAULT_ACK_MINUTES) * 60_000;
      await this.scheduleEscalation(row.alert_id, row.step, Math.max(0, due - now));
    }
    return { sends: pending.length, escalations: open.length };
  }

  async scheduleSend(pageId: string): Promise<void> {
    const payload: JobPayloads['paging.send'] = { pageId };
    await this.queue.add('paging.send', payload, { jobId: jobId.page(pageId), ...PAGE_JOB_OPTIONS });
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

  private async event(
    manager: EntityManager,
    alert: Pick<AlertEntity, 'id' | 'organisationId' | 'parentId'>,
    type: 'paged' | 'page_acknowledged',
    actorId: string | null,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await manager.insert(FollowUpEventEntity, {
      organisationId: alert.organisationId,
      alertId: alert.id,
      parentId: alert.parentId,
      actorId,
      type,
      payload,
      createdAt: this.clock.now(),
    } as QueryDeepPartialEntity<FollowUpEventEntity>);
  }
}
