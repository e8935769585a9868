// What every parent page shares (the questionnaire `/q`, the invited contact, the self-screening `/depistage`):
// how it is declared, how it is answered, and how it fails.
import {
  type ArgumentsHost,
  applyDecorators,
  Catch,
  type ExceptionFilter,
  HttpCode,
  Logger,
  Post,
  UseFilters,
} from '@nestjs/common';
import { getEpdsUiText } from '@lien/shared';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { redactUrl } from '../../common/logging.js';
import { UndocumentedController } from '../../common/route.js';
import { EMBED_PAGE_CSP, PAGE_HEADERS, renderMessage, type HtmlPage } from './questionnaire.views.js';
import { queryLanguage } from './submission-input.js';

/**
 * Answers a page with its status and security headers. `embed`: the screening widget, framed by partner sites
 * (helmet's X-Frame-Options would forbid it), under its own CSP.
 */
export function sendPage(response: Response, page: HtmlPage, embed = false): void {
  if (embed) response.removeHeader('X-Frame-Options');
  response
    .status(page.status)
    .set(embed ? { ...PAGE_HEADERS, 'Content-Security-Policy': EMBED_PAGE_CSP } : PAGE_HEADERS)
    .send(page.html);
}

/** Anything unexpected on a parent page still ends on a kind HTML page (500), never a JSON error or a stack. */
@Catch()
export class QuestionnairePageFilter implements ExceptionFilter {
  private readonly logger = new Logger('QuestionnairePage');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const error = exception instanceof Error ? exception : new Error(String(exception));
    // Name and message only: the body holds answers.
    this.logger.error(
      {
        err: { name: error.name, message: error.message, stack: error.stack },
        path: redactUrl(request.originalUrl),
      },
      'Questionnaire page error',
    );
    if (response.headersSent) return;
    const fromBody = (request.body as Record<string, unknown> | undefined)?.lang;
    const language = queryLanguage(request.query.lang) ?? queryLanguage(fromBody) ?? 'fr';
    const ui = getEpdsUiText(language);
    sendPage(
      response,
      renderMessage({
        status: 500,
        language,
        title: ui.unexpectedErrorTitle,
        paragraphs: [ui.unexpectedError],
        resourcesTitle: ui.emergencyTitle,
        resources: [],
        switchPath: null,
        ...(typeof request.params?.token === 'string' ? { token: request.params.token } : {}),
      }),
    );
  }
}

/** A controller of parent pages: server-rendered HTML, no sign-in, out of the API document, failing kindly. */
export function ParentPageController(path: string): ClassDecorator {
  return applyDecorators(UndocumentedController(path), Public(), UseFilters(QuestionnairePageFilter));
}

/** A parent page's form: it answers with a page, 200 unless the page says otherwise (not Nest's 201 for a POST). */
export const FormPost = (path?: string): MethodDecorator => applyDecorators(Post(path), HttpCode(200));
