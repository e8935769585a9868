import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { currentRequestId } from '../../common/request-context.js';
import { jobId, QUEUES, type JobPayloads } from '../../queue/jobs.js';
import { afterCommit } from '../notifications/after-commit.js';
import { isEmailAddress, MailService } from '../notifications/mail.service.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { AlertEntity } from './alert.entity.js';
import { AlertFeedService } from './alert-feed.service.js';
import { toAlertSummary } from './alert-summary.js';
import { AlertsRepository } from './alerts.repository.js';

export const DEADLINE_JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 10_000 } } as const;

/** Plain-text emails: no name, no score, no answer; only that something waits, and the console link. */
export function urgentAlertEmail(consoleLink: string): { subject: string; body: string } {
  return {
    subject: 'Lien : une alerte urgente vous attend',
    body: `Une alerte urgente vous attend dans Lien.\n\nOuvrir dans la console : ${consoleLink}\n\nCe message ne contient volontairement aucune information personnelle.`,
  };
}

export function escalationEmail(consoleLink: string): { subject: string; body: string } {
  return {
    subject: 'Lien : une alerte a dépassé son délai',
    body: `Une alerte de votre organisation a dépassé son délai dans Lien et n'a pas encore été traitée.\n\nOuvrir dans la console : ${consoleLink}\n\nCe message ne contient volontairement aucune information personnelle.`,
  };
}

/** Side effects of alert changes: deadline jobs, the live feed (after commit), and notification emails (in the transaction). */
@Injectable()
export class AlertNotifier {
  private readonly logger = new Logger(AlertNotifier.name);

  constructor(
    @InjectQueue(QUEUES.alerts) private readonly queue: Queue,
    private readonly feed: AlertFeedService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    private readonly repository: AlertsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  consoleLink(alertId: string): string {
    return `${this.config.publicBaseUrl}/alerts/${alertId}`;
  }

  /** After commit: publish the change and (re)schedule the deadline jobs of the alert as it now stands. */
  changed(manager: EntityManager, alert: AlertEntity, type: 'alert.created' | 'alert.updated'): void {
    const snapshot = { ...alert };
    const requestId = currentRequestId();
    void afterCommit(manager, async () => {
      const summary = toAlertSummary(snapshot, this.clock.now());
      await this.feed.publish({ organisationId: snapshot.organisationId }, { type, alert: summary });
    });
    void afterCommit(manager, () => this.scheduleDeadlines(snapshot, requestId));
  }

  /**
   * One delayed job per pending deadline; deterministic ids make re-adding (reconciler, severity raise) a no-op.
   * `requestId`: the request that opened or changed the alert (none from the reconciler).
   */
  async scheduleDeadlines(alert: AlertEntity, requestId?: string): Promise<number> {
    if (alert.status === 'closed' || alert.escalatedAt) return 0;
    const dues: Date[] = [];
    if (!alert.acknowledgedAt) dues.push(alert.acknowledgeDueAt);
    if (!alert.firstContactAt) dues.push(alert.contactDueAt);
    const now = this.clock.now().getTime();
    const payload: JobPayloads['alerts.deadline'] = {
      alertId: alert.id,
      ...(requestId ? { requestId } : {}),
    };
    const jobs = [...new Set(dues.map((date) => date.getTime()))].map((due) => ({
      name: 'alerts.deadline',
      data: payload,
      opts: {
        jobId: jobId.alertDeadline(alert.id, due),
        // A moment after the deadline, so the job finds it passed.
        delay: Math.max(0, due - now + 1_000),
        ...DEADLINE_JOB_OPTIONS,
      },
    }));
    // One Redis round trip for both deadlines.
    if (jobs.length > 0) await this.queue.addBulk(jobs);
    return dues.length;
  }

  /** Urgent alert: the referent and the organisation's on-call address, in the alert's transaction. */
  async notifyUrgent(
    organisation: Pick<OrganisationEntity, 'id' | 'settings'>,
    manager: EntityManager,
    alert: AlertEntity,
    referentUserId: string | null,
  ): Promise<number> {
    const addresses = new Set<string>();
    if (referentUserId) {
      const referent = await this.repository.activeUser(organisation.id, manager, referentUserId);
      if (referent) addresses.add(referent.email.toLowerCase());
    }
    const onCall = organisation.settings.onCallEmail?.trim();
    // A mistyped on-call address must never make the parent's answer fail to save: it is skipped (and logged).
    if (onCall && isEmailAddress(onCall)) addresses.add(onCall.toLowerCase());
    else if (onCall)
      this.logger.warn(`organisation ${organisation.id}: the on-call address is not a valid email, skipped`);
    const { subject, body } = urgentAlertEmail(this.consoleLink(alert.id));
    for (const to of addresses)
      await this.mail.enqueue({ to, subject, body, organisationId: organisation.id }, manager);
    return addresses.size;
  }

  /** Escalation: every active admin of the organisation. */
  async notifyEscalation(manager: EntityManager, alert: AlertEntity): Promise<number> {
    const admins = await this.repository.activeAdmins(alert.organisationId, manager);
    const { subject, body } = escalationEmail(this.consoleLink(alert.id));
    for (const admin of admins) {
      await this.mail.enqueue(
        { to: admin.email, subject, body, organisationId: alert.organisationId },
        manager,
      );
    }
    return admins.length;
  }
}
