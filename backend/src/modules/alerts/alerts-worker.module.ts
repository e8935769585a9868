import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { PagingModule } from '../paging/paging.module.js';
import { AlertsModule } from './alerts.module.js';
import { AlertsProcessor } from './alerts.processor.js';
import { InvitationExpiryService } from './invitation-expiry.service.js';

/** Worker only: deadline jobs, the deadline reconciler, the non-response sweep and the notes backfill. */
@Module({
  imports: [AlertsModule, PagingModule, InvitationsModule],
  providers: [AlertsProcessor, InvitationExpiryService],
})
export class AlertsWorkerModule {}
