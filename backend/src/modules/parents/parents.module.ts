import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { SmsModule } from '../sms/sms.module.js';
import { AlertOtherParentController, HouseholdsController } from './households.controller.js';
import { HouseholdsService } from './households.service.js';
import { ParentNamePrefixesBackfill } from './name-prefixes-backfill.service.js';
import { ParentHistoryRepository } from './parent-history.repository.js';
import { ParentHistoryService } from './parent-history.service.js';
import { ParentNames } from './parent-names.service.js';
import { ParentOptOutService } from './parent-opt-out.service.js';
import { ParentOrganisations } from './parent-organisations.service.js';
import { ParentsController } from './parents.controller.js';
import { ParentsRepository } from './parents.repository.js';
import { ParentsService } from './parents.service.js';

/** Enrolment and the parent record (`/api/parents`, `/api/households`), STOP/START for the webhooks. */
@Module({
  imports: [SmsModule, InvitationsModule],
  controllers: [ParentsController, HouseholdsController, AlertOtherParentController],
  providers: [
    ParentsRepository,
    ParentOrganisations,
    ParentsService,
    HouseholdsService,
    ParentOptOutService,
    ParentNamePrefixesBackfill,
    ParentHistoryRepository,
    ParentHistoryService,
    ParentNames,
  ],
  exports: [ParentsService, ParentsRepository, ParentOptOutService, ParentNamePrefixesBackfill, ParentNames],
})
export class ParentsModule {}
