import { Module } from '@nestjs/common';
import { AlertFeedService } from './alert-feed.service.js';
import { AlertNotifier } from './alert-notifier.service.js';
import { AlertRulesService } from './alert-rules.service.js';
import { AlertDeadlineService } from './alert-deadline.service.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';
import { StreamTicketsService } from './stream-tickets.service.js';
import { FollowUpNotesBackfill } from './follow-up-notes-backfill.service.js';
import { UsersModule } from '../users/users.module.js';
import { PagingModule } from '../paging/paging.module.js';

/** Alerts: rules (called by the questionnaire in its transaction), workflow API, live feed, deadlines. */
@Module({
  // Urgent alerts page the professional on call; the live stream re-checks sessions (UsersModule's SessionCheck).
  imports: [PagingModule, UsersModule],
  controllers: [AlertsController],
  providers: [
    AlertRulesService,
    AlertNotifier,
    AlertFeedService,
    AlertsRepository,
    AlertsService,
    AlertDeadlineService,
    StreamTicketsService,
    FollowUpNotesBackfill,
  ],
  exports: [AlertRulesService, AlertFeedService, AlertDeadlineService, AlertNotifier, FollowUpNotesBackfill],
})
export class AlertsModule {}
