import { Body, Param, Req, Res } from '@nestjs/common';
import { getEpdsUiText, getScreeningText } from '@lien/shared';
import type { Request, Response } from 'express';
import { requestOrigin } from '../../common/request-context.js';
import { FormPost, ParentPageController, sendPage } from '../questionnaire/parent-page.js';
import { QuestionnaireService } from '../questionnaire/questionnaire.service.js';
import { renderMessage, type HtmlPage } from '../questionnaire/questionnaire.views.js';
import { parseContactForm } from './screening-input.js';
import { ScreeningService } from './screening.service.js';

/** `POST /q/:token/contact`: an invited parent, on their result page, asks their team to contact them. */
@ParentPageController('q')
export class InvitedContactController {
  constructor(
    private readonly questionnaire: QuestionnaireService,
    private readonly screening: ScreeningService,
  ) {}

  @FormPost(':token/contact')
  async contact(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = parseContactForm(body);
    const state = await this.questionnaire.resolve(token, requestOrigin(request).ip);
    const record = 'record' in state ? state.record : null;
    const language = this.questionnaire.language(record, form.language);
    const ui = getEpdsUiText(language);
    const t = getScreeningText(language);
    const page = (status: number, title: string, paragraph: string): HtmlPage =>
      renderMessage({
        status,
        language,
        title,
        paragraphs: [paragraph],
        resourcesTitle: ui.resourcesTitle,
        resources: this.questionnaire.resourcesFor(record, language, 'expired'),
        switchPath: null,
      });
    // Only after answering: the result page is where the form is.
    if (state.kind !== 'answered' || !record)
      return sendPage(response, page(410, ui.linkExpiredTitle, ui.linkExpired));
    const outcome = await this.screening.requestInvitedContact(
      {
        organisationId: record.organisation.id,
        parentId: record.parent.id,
        invitationId: record.invitation.id,
      },
      {
        channel: (body as Record<string, unknown> | null)?.channel,
        timeSlots: form.timeSlots,
        consent: form.consent,
        language,
      },
      requestOrigin(request),
    );
    switch (outcome.kind) {
      case 'rate_limited':
        return sendPage(response, page(429, ui.tooManyAttemptsTitle, t.rateLimited));
      case 'unavailable':
        return sendPage(response, page(410, ui.linkExpiredTitle, ui.linkExpired));
      case 'invalid':
        return sendPage(response, page(400, t.contactTitle, t.consentRequired));
      case 'created':
        return sendPage(
          response,
          page(200, t.contactDoneTitle, t.invitedContactDone.replace('{delay}', outcome.delay)),
        );
    }
  }
}
