import { Injectable } from '@nestjs/common';
import { JobHandler, type JobContext } from '../../queue/job-handler.decorator.js';
import type { JobPayloads } from '../../queue/jobs.js';
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
export class AlertsProcessor {
  constructor(
    private readonly deadlines: AlertDeadlineService,
    private readonly expiry: InvitationExpiryService,
    private readonly pages: PagesService,
    private readonly backfill: FollowUpNotesBackfill,
  ) {}

  @JobHandler('alerts.deadline')
  deadline({ alertId }: JobPayloads['alerts.deadline']): Promise<unknown> {
    return this.deadlines.check(alertId);
  }

  @JobHandler('paging.send')
  page({ pageId }: JobPayloads['paging.send']): Promise<unknown> {
    return this.pages.send(pageId);
  }

  @JobHandler('paging.escalate')
  escalate({ alertId, step }: JobPayloads['paging.escalate']): Promise<unknown> {
    return this.pages.escalate(alertId, step);
  }

  @JobHandler('alerts.reconcile', { scheduler: ALERTS_RECONCILE_SCHEDULER, every: ALERTS_RECONCILE_EVERY_MS })
  async reconcile(): Promise<unknown> {
    const deadlines = await this.deadlines.reconcile();
    // Lost paging jobs come back with the deadline jobs.
    return { ...deadlines, paging: await this.pages.reconcile() };
  }

  @JobHandler('alerts.expire-invitations', {
    scheduler: INVITATION_SWEEP_SCHEDULER,
    every: INVITATION_SWEEP_EVERY_MS,
  })
  expireInvitations(): Promise<unknown> {
    return this.expiry.sweep();
  }

  @JobHandler('alerts.backfill-notes', {
    scheduler: NOTES_BACKFILL_SCHEDULER,
    every: NOTES_BACKFILL_EVERY_MS,
    alsoAtStartup: true,
  })
  backfillNotes(_payload: JobPayloads['alerts.backfill-notes'], { signal }: JobContext): Promise<unknown> {
    return this.backfill.run(signal);
  }
}
