import { Module } from '@nestjs/common';
import { SmsModule } from '../sms/sms.module.js';
import { InvitationPlanner } from './invitation-planner.service.js';

/** The schedule (pure functions in schedule.ts / holidays.ts) and the planner that writes it as rows. */
@Module({ imports: [SmsModule], providers: [InvitationPlanner], exports: [InvitationPlanner] })
export class InvitationsModule {}
