import { Module } from '@nestjs/common';
import { SmsOutboxModule } from '../sms/sms-outbox.module.js';
import { InvitationPlanner } from './invitation-planner.service.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';

/**
 * The schedule (pure functions in schedule.ts / holidays.ts), the planner that writes it as rows, expiry, and the
 * wave keys in use. The planner needs only the outbox's writing side (`SmsOutboxModule`), not the delivery
 * (`SmsModule` imports alerts → users → organisations): organisations can then import this module, no cycle.
 */
@Module({
  imports: [SmsOutboxModule],
  providers: [InvitationsRepository, InvitationPlanner, InvitationsService],
  exports: [InvitationPlanner, InvitationsService],
})
export class InvitationsModule {}
