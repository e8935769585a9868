import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { InvitationsModule } from '../invitations/invitations.module.js';
import { SmsModule } from '../sms/sms.module.js';
import { LinkGuessLimiter } from './link-guess-limiter.js';
import { QuestionnaireApiController } from './questionnaire-api.controller.js';
import { QuestionnairePageController } from './questionnaire-page.controller.js';
import { QuestionnaireRepository } from './questionnaire.repository.js';
import { QuestionnaireService } from './questionnaire.service.js';

/** The parent's questionnaire: the page at /q/:token, its JSON twin, scoring, storage and opt-out. */
@Module({
  imports: [AlertsModule, SmsModule, InvitationsModule],
  controllers: [QuestionnairePageController, QuestionnaireApiController],
  providers: [QuestionnaireService, QuestionnaireRepository, LinkGuessLimiter],
  exports: [QuestionnaireService],
})
export class QuestionnaireModule {}
