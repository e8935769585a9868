import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { WebhookOutbox } from '../outbound-webhooks/webhook-outbox.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { AlertNotifier } from './alert-notifier.service.js';
import { isOverdue } from './alert-rules.js';
import { AlertsRepository } from './alerts.repository.js';

const RECONCILE_BATCH = 500;
/** Three reconciler periods: every deadline gets its job (again) well before it falls. */
export const RECONCILE_HORIZON_MS = 15 * 60_000;

/**
 * Deadlines: Postgres holds them (acknowledgeDueAt, contactDueAt, escalatedAt); BullMQ delayed jobs wake the worker
 * at each one, and a reconciler restores lost jobs and catches anything already overdue. An alert escalates once.
 */
@Injectable()
export class AlertDeadlineService {
  private readonly logger = new Logger(AlertDeadlineService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly notifier: AlertNotifier,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
    private readonly webhooks: WebhookOutbox,
    private readonly alerts: AlertsRepository,
  ) {}

  /** The deadline job: escalates the alert if a deadline passed with its step undone and it never escalated. */
  async check(alertId: string): Promise<'escalated' | 'not_due' | 'done'> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.lockForJob(manager, alertId);
      if (!alert || alert.status === 'closed' || alert.escalatedAt) return 'done';
      const now = this.clock.now();
      if (!isOverdue(alert, now)) return alert.acknowledgedAt && alert.firstContactAt ? 'done' : 'not_due';
      const step = alert.acknowledgedAt === null && now > alert.acknowledgeDueAt ? 'acknowledge' : 'contact';
      const dueAt = step === 'acknowledge' ? alert.acknowledgeDueAt : alert.contactDueAt;
      await this.alerts.update(manager, alert.id, { escalatedAt: now });
      alert.escalatedAt = now;
      const admins = await this.notifier.notifyEscalation(manager, alert);
      await this.alerts.appendEvent(manager, alert, {
        actorId: null,
        type: 'escalated',
        payload: { step, dueAt: dueAt.toISOString(), notified: admins },
        createdAt: now,
      });
      await this.audit.record(
        { actorId: null, organisationId: alert.organisationId },
        {
          action: 'alert.escalate',
          targetType: 'alert',
          targetId: alert.id,
          metadata: { step, notified: admins },
        },
        manager,
      );
      this.notifier.changed(manager, alert, 'alert.updated');
      await this.webhooks.emit({ organisationId: alert.organisationId }, manager, 'alert.escalated', {
        alertId: alert.id,
        parentId: alert.parentId,
        severity: alert.severity,
        step,
      });
      this.logger.log(`alert ${alert.id} escalated (${step} deadline missed)`);
      this.metrics.alertDeadlinesMissed.inc();
      return 'escalated';
    });
  }

  /**
   * Walks the alerts with a deadline pending within the horizon: escalates the overdue ones, re-adds the delayed job
   * of the others (a no-op when it exists). Returns what it did.
   */
  async reconcile(): Promise<{ escalated: number; scheduled: number }> {
    let escalated = 0;
    let scheduled = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    // Deadlines further away get their job from a later pass (this one runs every few minutes): Redis work stays bounded.
    const horizon = new Date(this.clock.now().getTime() + RECONCILE_HORIZON_MS);
    for (;;) {
      const batch = await this.alerts.pendingDeadlinesForJob(horizon, after, RECONCILE_BATCH);
      if (batch.length === 0) break;
      const now = this.clock.now();
      for (const alert of batch) {
        if (isOverdue(alert, now)) {
          if ((await this.check(alert.id)) === 'escalated') escalated += 1;
        } else {
          scheduled += await this.notifier.scheduleDeadlines(alert);
        }
      }
      after = batch[batch.length - 1]!.id;
      if (batch.length < RECONCILE_BATCH) break;
    }
    return { escalated, scheduled };
  }
}
