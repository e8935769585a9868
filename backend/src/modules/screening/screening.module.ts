import { Module } from '@nestjs/common';
import { RateLimiter } from '../../common/auth/rate-limiter.js';
import { AlertsModule } from '../alerts/alerts.module.js';
import { ParentsModule } from '../parents/parents.module.js';
import { QuestionnaireModule } from '../questionnaire/questionnaire.module.js';
import { InvitedContactController } from './invited-contact.controller.js';
import { ContactRequestsController, PublicContactRequestsController } from './contact-requests.controller.js';
import { ScreeningPageController } from './screening-page.controller.js';
import { ScreeningSourcesController } from './screening-sources.controller.js';
import { ScreeningSourcesService } from './screening-sources.service.js';
import { ScreeningRepository } from './screening.repository.js';
import { ScreeningService } from './screening.service.js';

/** Self-screening (/depistage), "be contacted" requests routed to a team, and their alerts. */
@Module({
  imports: [AlertsModule, ParentsModule, QuestionnaireModule],
  controllers: [
    ScreeningPageController,
    PublicContactRequestsController,
    ContactRequestsController,
    ScreeningSourcesController,
    InvitedContactController,
  ],
  providers: [ScreeningService, ScreeningSourcesService, ScreeningRepository, RateLimiter],
})
export class ScreeningModule {}
