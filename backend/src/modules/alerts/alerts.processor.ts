import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobConsumers } from '../../queue/job-consumers.js';
import { PagesService } from '../paging/pages.service.js';
import { AlertDeadlineService } from './alert-deadline.service.js';
import { FollowUpNotesBackfill } from './follow-up-notes-backfill.service.js';
import { InvitationExpiryService } from './invitation-expiry.service.js';

export const ALERTS_RECONCILE_SCHEDULER = 'alerts-reconcile';
export const ALERTS_RECONCILE_EVERY_MS = 5 * 60_000;
export const INVITATION_SWEEP_SCHEDULER = 'alerts-expire-invitations';
export const INVITATION_SWEEP_EVERY_MS = 5 * 60_000;
export const NOTES_BACKFILL_SCHEDULER = 'alerts-backfill-notes';
/** Plaintext notes left by an older version are encrypted at start-up, then hourly (rolling deployments). */
export const NOTES_BACKFILL_EVERY_MS = 3_600_000;

/** Thin: the alerts queue's jobs (deadlines, paging, reconcilers, the non-response sweep, the notes backfill). */
@Injectable()
export class AlertsProcessor implements OnModuleInit {
  constructor(
    private readonly jobs: JobConsumers,
    private readonly deadlines: AlertDeadlineService,
    private readonly expiry: InvitationExpiryService,
    private readonly pages: PagesService,
    private readonly backfill: FollowUpNotesBackfill,
  ) {}

  onModuleInit(): void {
    this.jobs.handle('alerts.deadline', ({ alertId }) => this.deadlines.check(alertId));
    this.jobs.handle('paging.send', ({ pageId }) => this.pages.send(pageId));
    this.jobs.handle('paging.escalate', ({ alertId, step }) => this.pages.escalate(alertId, step));
    this.jobs.handle('alerts.reconcile', async () => {
      const deadlines = await this.deadlines.reconcile();
      // Lost paging jobs come back with the deadline jobs.
      return { ...deadlines, paging: await this.pages.reconcile() };
    });
    this.jobs.handle('alerts.expire-invitations', () => this.expiry.sweep());
    this.jobs.handle('alerts.backfill-notes', (_data, { signal }) => this.backfill.run(signal));
    this.jobs.schedule(ALERTS_RECONCILE_SCHEDULER, 'alerts.reconcile', ALERTS_RECONCILE_EVERY_MS);
    this.jobs.schedule(INVITATION_SWEEP_SCHEDULER, 'alerts.expire-invitations', INVITATION_SWEEP_EVERY_MS);
    this.jobs.schedule(NOTES_BACKFILL_SCHEDULER, 'alerts.backfill-notes', NOTES_BACKFILL_EVERY_MS, {
      alsoAtStartup: true,
    });
  }
}
