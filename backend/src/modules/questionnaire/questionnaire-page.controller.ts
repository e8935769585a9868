import { Body, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { epdsWordingForRole, getEpdsUiText, type EpdsLanguage } from '@lien/shared';
import type { Request, Response } from 'express';
import { requestOrigin } from '../../common/request-context.js';
import type { AppConfig } from '../../config/config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { accessibilitySections, privacySections } from './parent-info.text.js';
import { FormPost, ParentPageController, sendPage } from './parent-page.js';
import {
  pagePath,
  renderInfoPage,
  renderMessage,
  renderOptOutConfirm,
  renderQuestionnaire,
  renderResult,
  type HtmlPage,
} from './questionnaire.views.js';
import type { LinkRecord } from './questionnaire.repository.js';
import { QuestionnaireService, type LinkState } from './questionnaire.service.js';
import { parseFormSubmission, queryLanguage, queryWording } from './submission-input.js';

/**
 * The parent's pages (server-rendered HTML, no login: the link token is the credential).
 * `GET /q/:token` the questions; `POST /q/:token` the answers; `GET|POST /q/:token/opt-out` stop messages.
 */
@ParentPageController('q')
export class QuestionnairePageController {
  constructor(
    private readonly questionnaire: QuestionnaireService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The privacy notice and the accessibility statement, linked from every page of a link: the link's organisation
   * is the one responsible for the data (generic wording when the link is not known).
   */
  @Get(':token/privacy')
  async privacy(
    @Param('token') token: string,
    @Query('lang') lang: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.info('privacy', token, lang, request, response);
  }

  @Get(':token/accessibility')
  async accessibility(
    @Param('token') token: string,
    @Query('lang') lang: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.info('accessibility', token, lang, request, response);
  }

  private async info(
    page: 'privacy' | 'accessibility',
    token: string,
    lang: unknown,
    request: Request,
    response: Response,
  ): Promise<void> {
    const state = await this.questionnaire.resolve(token, requestOrigin(request).ip);
    if (state.kind === 'rate_limited')
      return sendPage(response, this.statePage(state, token, queryLanguage(lang), 'view'));
    const record = state.kind === 'unknown' ? null : state.record;
    const language = this.questionnaire.language(record, queryLanguage(lang));
    const context = {
      organisationName: record?.organisation.name ?? null,
      contactPhone: record ? this.questionnaire.contactPhone(record) : null,
      retentionDays: this.config.retentionDays,
    };
    const sections =
      page === 'privacy' ? privacySections(language, context) : accessibilitySections(language, context);
    sendPage(response, renderInfoPage(token, language, page, sections));
  }

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Query('lang') lang: unknown,
    @Query('v') wording: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const requested = queryLanguage(lang);
    const state = await this.questionnaire.resolve(token, requestOrigin(request).ip);
    if (state.kind !== 'open') return sendPage(response, this.statePage(state, token, requested, 'view'));
    // HEAD (link previews) does not count as the parent opening the page.
    if (request.method === 'GET') await this.questionnaire.markOpened(state.record);
    const active = state.record.parent.status === 'active';
    sendPage(
      response,
      renderQuestionnaire(
        token,
        this.questionnaire.language(state.record, requested),
        [],
        undefined,
        active,
        queryWording(wording) ?? epdsWordingForRole(state.record.parent.role),
      ),
    );
  }

  @FormPost(':token')
  async submit(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const form = parseFormSubmission(body);
    const state = await this.questionnaire.resolve(token, requestOrigin(request).ip);
    if (state.kind !== 'open')
      return sendPage(response, this.statePage(state, token, form.language, 'submit'));
    const { record } = state;
    const language = this.questionnaire.language(record, form.language);
    const answers = form.answers.filter((answer): answer is number => answer !== undefined);
    if (form.missing.length > 0 || form.unexpected || answers.length !== form.answers.length) {
      return sendPage(
        response,
        renderQuestionnaire(
          token,
          language,
          form.answers,
          form,
          record.parent.status === 'active',
          form.wording ?? epdsWordingForRole(record.parent.role),
        ),
      );
    }
    const outcome = await this.questionnaire.submit(
      record,
      answers,
      language,
      'web_form',
      requestOrigin(request),
    );
    if (outcome.kind !== 'stored')
      return sendPage(response, this.statePage({ kind: outcome.kind, record }, token, language, 'submit'));
    const { message, resources } = await this.questionnaire.result(record, language, outcome.score);
    sendPage(
      response,
      renderResult({
        token,
        language,
        message,
        resources,
        score: this.questionnaire.showScoreToParent(record) ? outcome.score.total : null,
        optOut: record.parent.status === 'active',
        contact: record.parent.status !== 'withdrawn',
      }),
    );
  }

  @Get(':token/opt-out')
  async optOutPage(
    @Param('token') token: string,
    @Query('lang') lang: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const requested = queryLanguage(lang);
    const state = await this.questionnaire.resolve(token, requestOrigin(request).ip);
    if (state.kind === 'rate_limited' || state.kind === 'unknown')
      return sendPage(response, this.statePage(state, token, requested, 'view'));
    const language = this.questionnaire.language(state.record, requested);
    if (state.record.parent.status !== 'active')
      return sendPage(response, this.optedOutPage(state.record, language, token));
    sendPage(response, renderOptOutConfirm(token, language, state.kind === 'open'));
  }

  @FormPost(':token/opt-out')
  async optOut(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const requested = queryLanguage((body as Record<string, unknown> | undefined)?.lang);
    const state = await this.questionnaire.resolve(token, requestOrigin(request).ip);
    if (state.kind === 'rate_limited' || state.kind === 'unknown')
      return sendPage(response, this.statePage(state, token, requested, 'submit'));
    await this.questionnaire.optOut(state.record, requestOrigin(request));
    sendPage(
      response,
      this.optedOutPage(state.record, this.questionnaire.language(state.record, requested), token),
    );
  }

  /** After an opt-out (or when the parent no longer receives messages): the team and the emergency numbers. */
  private optedOutPage(record: LinkRecord, language: EpdsLanguage, token: string): HtmlPage {
    const ui = getEpdsUiText(language);
    return renderMessage({
      status: 200,
      language,
      title: ui.optOutDoneTitle,
      paragraphs: [ui.optOutDone],
      resourcesTitle: ui.resourcesTitle,
      resources: this.questionnaire.resourcesFor(record, language, 'expired'),
      switchPath: null,
      token,
    });
  }

  /** Every state but "open": friendly, and revealing nothing about links that do not exist. */
  private statePage(
    state: Exclude<LinkState, { kind: 'open' }>,
    token: string,
    requested: EpdsLanguage | null,
    mode: 'view' | 'submit',
  ): HtmlPage {
    const record = 'record' in state ? state.record : null;
    const language = this.questionnaire.language(record, requested);
    const ui = getEpdsUiText(language);
    switch (state.kind) {
      case 'rate_limited':
        return renderMessage({
          status: 429,
          language,
          title: ui.tooManyAttemptsTitle,
          paragraphs: [ui.tooManyAttempts],
          resourcesTitle: ui.emergencyTitle,
          resources: this.questionnaire.resourcesFor(null, language, 'unknown'),
          switchPath: null,
        });
      case 'unknown':
        return renderMessage({
          status: 404,
          language,
          title: ui.unknownLinkTitle,
          paragraphs: [ui.unknownLink],
          resourcesTitle: ui.emergencyTitle,
          resources: this.questionnaire.resourcesFor(null, language, 'unknown'),
          switchPath: pagePath(token),
          token,
        });
      case 'answered':
        return this.closedLinkPage(state.record, language, token, {
          status: mode === 'submit' ? 409 : 200,
          title: ui.alreadyAnswered,
          paragraph: ui.alreadyAnsweredBody,
          resources: 'answered',
        });
      case 'expired':
      case 'unavailable':
        return this.closedLinkPage(state.record, language, token, {
          status: 410,
          title: ui.linkExpiredTitle,
          paragraph: ui.linkExpired,
          resources: 'expired',
        });
    }
  }

  /** A known link that no longer takes answers: its team's resources, and opting out while messages still go. */
  private closedLinkPage(
    record: LinkRecord,
    language: EpdsLanguage,
    token: string,
    page: { status: number; title: string; paragraph: string; resources: 'answered' | 'expired' },
  ): HtmlPage {
    return renderMessage({
      status: page.status,
      language,
      title: page.title,
      paragraphs: [page.paragraph],
      resourcesTitle: getEpdsUiText(language).resourcesTitle,
      resources: this.questionnaire.resourcesFor(record, language, page.resources),
      switchPath: pagePath(token),
      token,
      ...(record.parent.status === 'active' ? { optOutToken: token } : {}),
    });
  }
}
