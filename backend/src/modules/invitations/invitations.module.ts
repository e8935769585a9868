import { Module } from '@nestjs/common';
import { SmsModule } from '../sms/sms.module.js';
import { InvitationPlanner } from './invitation-planner.service.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';

/** The schedule (pure functions in schedule.ts / holidays.ts), the planner that writes it as rows, and expiry. */
@Module({
  imports: [SmsModule],
  providers: [InvitationsRepository, InvitationPlanner, InvitationsService],
  exports: [InvitationPlanner, InvitationsService],
})
export class InvitationsModule {}
