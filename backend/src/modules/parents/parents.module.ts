import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { SmsModule } from '../sms/sms.module.js';
import { AlertOtherParentController, HouseholdsController } from './households.controller.js';
import { ParentsController } from './parents.controller.js';
import { ParentsRepository } from './parents.repository.js';
import { ParentsService } from './parents.service.js';

/** Enrolment and the parent record (`/api/parents`). */
@Module({
  imports: [SmsModule, InvitationsModule],
  controllers: [ParentsController, HouseholdsController, AlertOtherParentController],
  providers: [ParentsRepository, ParentsService],
  exports: [ParentsService, ParentsRepository],
})
export class ParentsModule {}
