import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from '../../common/periodic-task.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { PagingModule } from '../paging/paging.module.js';
import { AlertsModule } from './alerts.module.js';
import { AlertsProcessor, AlertsSchedules } from './alerts.processor.js';
import { FollowUpNotesBackfill } from './follow-up-notes-backfill.service.js';
import { InvitationExpiryService } from './invitation-expiry.service.js';

/** Plaintext notes left by an older version are encrypted at start-up, then hourly (rolling deployments). */
export const NOTES_BACKFILL_INTERVAL_MS = 3_600_000;

@Injectable()
export class FollowUpNotesBackfillScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(
    new Logger(FollowUpNotesBackfill.name),
    'Follow-up notes backfill',
    async (signal) => {
      await this.backfill.run(signal);
    },
  );

  constructor(private readonly backfill: FollowUpNotesBackfill) {}

  onApplicationBootstrap(): void {
    this.task.start(NOTES_BACKFILL_INTERVAL_MS, 0);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}

/** Worker only: deadline jobs, the deadline reconciler, the non-response sweep and the notes backfill. */
@Module({
  imports: [AlertsModule, PagingModule, InvitationsModule],
  providers: [AlertsProcessor, AlertsSchedules, FollowUpNotesBackfillScheduler, InvitationExpiryService],
})
export class AlertsWorkerModule {}
