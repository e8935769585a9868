import { Body, Header, HttpException, HttpStatus, Param, Req } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { QUESTIONNAIRE_ERROR_CODES, type SubmitQuestionnaireResponse } from '@lien/shared';
import type { Request } from 'express';
import { DomainError, conflict, invalidFields } from '../../common/errors.js';
import { ApiController, PublicRoute } from '../../common/route.js';
import { SubmitQuestionnaireDto } from './dto/submit-questionnaire.dto.js';
import { requestOrigin } from '../../common/request-context.js';
import { QuestionnaireService, type LinkStatus } from './questionnaire.service.js';
import { parseJsonSubmission } from './submission-input.js';

/** The JSON door of the questionnaire (partner apps, kiosks): same rules, same transaction as the form. */
@ApiController('questionnaire', 'api/public/questionnaires')
export class QuestionnaireApiController {
  constructor(private readonly questionnaire: QuestionnaireService) {}

  @PublicRoute('POST :token/responses', {
    summary: "Submit a parent's EPDS answers with the link token; scored on the server",
    errors: [
      {
        400: 'invalid_input: details name each bad field (answers, answers[3], language, extra fields)',
        404: 'link_not_found',
        410: 'link_expired or link_unavailable',
        409: 'already_answered: the first answers are kept',
        429: 'too_many_attempts: too many unknown links from this address',
      },
    ],
    result: 'SubmitQuestionnaireResponse',
  })
  @Header('Cache-Control', 'no-store')
  @ApiBody({ type: SubmitQuestionnaireDto })
  async submit(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: Request,
  ): Promise<SubmitQuestionnaireResponse> {
    const state = await this.questionnaire.resolve(token, requestOrigin(request).ip);
    if (state.kind === 'rate_limited') {
      throw new DomainError(
        'rate_limited',
        QUESTIONNAIRE_ERROR_CODES.tooManyAttempts,
        'Too many unknown links from this address; try again later',
      );
    }
    if (state.kind === 'unknown')
      throw new DomainError(
        'not_found',
        QUESTIONNAIRE_ERROR_CODES.linkNotFound,
        'Questionnaire link not found',
      );
    if (state.kind !== 'open') throw stateError(state.kind);

    const input = parseJsonSubmission(body);
    // invalidFields' code is QUESTIONNAIRE_ERROR_CODES.invalidInput.
    if (!input.ok) throw invalidFields(input.errors);
    const { record } = state;
    const language = this.questionnaire.language(record, input.language);
    const outcome = await this.questionnaire.submit(
      record,
      input.answers,
      language,
      'api',
      requestOrigin(request),
    );
    if (outcome.kind !== 'stored') throw stateError(outcome.kind);
    const { score } = outcome;
    const { message, resources } = await this.questionnaire.result(record, language, score);
    return {
      score: score.total,
      band: score.band,
      flags: { item10Positive: score.item10Positive, anxiety: score.anxietyFlag },
      resources,
      message,
      language,
      instrumentVersion: outcome.response.instrumentVersion,
    };
  }
}

function stateError(status: Exclude<LinkStatus, 'open'>): Error {
  switch (status) {
    case 'answered':
      return conflict(
        QUESTIONNAIRE_ERROR_CODES.alreadyAnswered,
        'This questionnaire has already been answered; the first answers are kept',
      );
    case 'expired':
      return new HttpException(
        {
          error: 'Gone',
          code: QUESTIONNAIRE_ERROR_CODES.linkExpired,
          message: 'This questionnaire link has expired',
        },
        HttpStatus.GONE,
      );
    case 'unavailable':
      return new HttpException(
        {
          error: 'Gone',
          code: QUESTIONNAIRE_ERROR_CODES.linkUnavailable,
          message: 'This questionnaire link is no longer valid',
        },
        HttpStatus.GONE,
      );
  }
}
