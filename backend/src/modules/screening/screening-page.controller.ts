import { Body, Get, Param, Query, Req, Res } from '@nestjs/common';
import { getEpdsUiText, getScreeningText, type EpdsLanguage, type HelpResource } from '@lien/shared';
import type { Request, Response } from 'express';
import { requestOrigin } from '../../common/request-context.js';
import { FormPost, ParentPageController, sendPage } from '../questionnaire/parent-page.js';
import { type HtmlPage } from '../questionnaire/questionnaire.views.js';
import { queryLanguage } from '../questionnaire/submission-input.js';
import { ScreeningService } from './screening.service.js';
import { parseContactForm, parseScreeningForm, type ScreeningForm } from './screening-input.js';
import {
  renderContactDone,
  renderContactRetry,
  renderScreeningForm,
  renderScreeningNotice,
  renderScreeningResult,
  screeningPath,
} from './screening.views.js';

/** Too many attempts from this address (either form): a 429 with the emergency numbers, nothing to restart. */
function rateLimitedNotice(
  language: EpdsLanguage,
  emergency: readonly HelpResource[],
  embed: boolean,
): HtmlPage {
  const title = getEpdsUiText(language).tooManyAttemptsTitle;
  return renderScreeningNotice(
    429,
    language,
    title,
    [getScreeningText(language).rateLimited],
    emergency,
    null,
    embed,
  );
}

const isEmbed = (value: unknown): boolean => value === '1';
const bodyEmbed = (body: unknown): boolean =>
  isEmbed((body as Record<string, unknown> | null | undefined)?.embed);

/**
 * The public self-screening pages (server-rendered, no login, no cookie, no JavaScript needed):
 * `GET|POST /depistage[/<source-code>]` the questions and the result; `POST /depistage/contact` "be contacted".
 */
@ParentPageController('depistage')
export class ScreeningPageController {
  constructor(private readonly screening: ScreeningService) {}

  @Get()
  show(@Query('lang') lang: unknown, @Query('embed') embed: unknown, @Res() response: Response): void {
    this.showFor(null, lang, embed, response);
  }

  @FormPost('contact')
  async contact(@Body() body: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const input = parseContactForm(body);
    const embed = bodyEmbed(body);
    const reply = (page: HtmlPage): void => sendPage(response, page, embed);
    const language = input.language ?? 'fr';
    const t = getScreeningText(language);
    const outcome = await this.screening.requestContact(input, requestOrigin(request));
    const emergency = this.emergencyResources(language);
    const state = {
      stamp: typeof input.stamp === 'string' ? input.stamp : '',
      firstName: input.firstName,
      phone: input.phone,
      email: input.email,
      postalCodeText: input.postalCodeText,
      channel: input.channel,
      timeSlots: input.timeSlots,
      consent: input.consent,
      embed,
    };
    switch (outcome.kind) {
      case 'rate_limited':
        return reply(rateLimitedNotice(language, emergency, embed));
      case 'refused':
        return reply(
          renderScreeningNotice(400, language, t.refusedTitle, [t.refused], emergency, null, embed),
        );
      case 'expired':
        return reply(
          renderScreeningNotice(
            400,
            language,
            t.expiredTitle,
            [t.expired],
            emergency,
            screeningPath(null),
            embed,
          ),
        );
      case 'too_fast':
        return reply(
          renderContactRetry(
            language,
            { ...state, stamp: outcome.stamp },
            emergency,
            { title: t.tooFastTitle, text: t.tooFast },
            embed,
          ),
        );
      case 'invalid':
        return reply(
          renderContactRetry(language, { ...state, errors: outcome.errors }, emergency, undefined, embed),
        );
      case 'created':
        return reply(
          renderContactDone(language, outcome.organisation.name, outcome.delay, outcome.resources, embed),
        );
    }
  }

  @Get(':code')
  showSource(
    @Param('code') code: string,
    @Query('lang') lang: unknown,
    @Query('embed') embed: unknown,
    @Res() response: Response,
  ): void {
    this.showFor(code, lang, embed, response);
  }

  /** The blank questions, of a source or not. */
  private showFor(code: string | null, lang: unknown, embed: unknown, response: Response): void {
    sendPage(
      response,
      this.form(queryLanguage(lang) ?? 'fr', code, undefined, { embed: isEmbed(embed) }),
      isEmbed(embed),
    );
  }

  @FormPost()
  submit(@Body() body: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.submitFor(null, body, request, response);
  }

  @FormPost(':code')
  submitSource(
    @Param('code') code: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.submitFor(code, body, request, response);
  }

  private async submitFor(
    code: string | null,
    body: unknown,
    request: Request,
    response: Response,
  ): Promise<void> {
    const form = parseScreeningForm(body);
    const embed = bodyEmbed(body);
    const reply = (page: HtmlPage): void => sendPage(response, page, embed);
    const language = form.language ?? 'fr';
    const t = getScreeningText(language);
    const outcome = await this.screening.screen(form, language, code, requestOrigin(request));
    const emergency = this.emergencyResources(language);
    switch (outcome.kind) {
      case 'rate_limited':
        return reply(rateLimitedNotice(language, emergency, embed));
      case 'refused':
        return reply(
          renderScreeningNotice(
            400,
            language,
            t.refusedTitle,
            [t.refused],
            emergency,
            screeningPath(code),
            embed,
          ),
        );
      case 'stale':
        // Too fast, or a page left open too long: the answers stay, with a fresh stamp, and a kind word.
        return reply(
          this.form(language, code, form, {
            notice:
              outcome.reason === 'too_fast'
                ? { title: t.tooFastTitle, text: t.tooFast }
                : { title: t.expiredTitle, text: t.tooFast },
            status: 400,
            embed,
          }),
        );
      case 'invalid':
        return reply(this.form(language, code, form, { errors: true, embed }));
      case 'scored':
        return reply(
          renderScreeningResult({
            language,
            band: outcome.band,
            item10Positive: outcome.item10Positive,
            resources: outcome.resources,
            contact: { stamp: outcome.contactStamp, postalCodeText: form.postalCodeText, embed },
            embed,
          }),
        );
    }
  }

  /** The emergency numbers every notice of these pages shows. */
  private emergencyResources(language: EpdsLanguage): HelpResource[] {
    return this.screening.resources(language, true).filter((resource) => resource.kind === 'emergency');
  }

  private form(
    language: EpdsLanguage,
    code: string | null,
    form?: ScreeningForm,
    options: {
      errors?: boolean;
      notice?: { title: string; text: string };
      status?: number;
      embed?: boolean;
    } = {},
  ): HtmlPage {
    return renderScreeningForm({
      language,
      sourceCode: code,
      stamp: this.screening.screeningStamp(),
      ...(form
        ? {
            answers: form.answers,
            role: form.role,
            childAgeText: form.childAgeText,
            pregnantChecked: form.pregnantChecked,
            postalCodeText: form.postalCodeText,
          }
        : {}),
      ...(form && options.errors
        ? {
            errors: {
              missing: form.missing,
              role: form.role === null,
              childAge: form.childAge === null,
              postalCode: form.postalCodeInvalid,
              unexpected: form.unexpected,
            },
          }
        : {}),
      ...(options.notice ? { notice: options.notice } : {}),
      ...(options.status ? { status: options.status } : {}),
      embed: options.embed === true,
    });
  }
}
