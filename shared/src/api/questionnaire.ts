import type { EpdsLanguage } from '../epds/types.js';
import type { HelpResource } from '../resources/help-resources.js';
import type { ResultMessage } from '../resources/result-message.js';
import type { EpdsBand } from '../statuses.js';

/**
 * The parent's questionnaire, public side (no login; the link token is the only credential):
 * - `GET /q/:token`: the page (HTML); `POST /q/:token`: the form post (fields `q1`..`q10` = option
 *   indexes, `lang`); `GET|POST /q/:token/opt-out`: stop receiving messages.
 * - `POST /api/public/questionnaires/:token/responses`: the same submission as JSON.
 */

/** `POST /api/public/questionnaires/:token/responses` body. */
export interface SubmitQuestionnaireRequest {
  /** Exactly 10 option indexes (0..3) in the instrument's canonical order, item 1 first. */
  answers: number[];
  /** Language the questions were shown in; the parent's language (French by default) when absent. */
  language?: EpdsLanguage;
}

export interface QuestionnaireFlags {
  /** Item 10 answered anything but "Never": a professional calls soon. */
  item10Positive: boolean;
  /** EPDS-3A (items 3, 4, 5) at or above the organisation's anxiety threshold. */
  anxiety: boolean;
}

/** 201 answer of the JSON submission. The score is returned to the API caller; the HTML page shows it only when the organisation allows it. */
export interface SubmitQuestionnaireResponse {
  /** 0..30, computed on the server from the instrument's points. */
  score: number;
  /** By the organisation's thresholds for the parent's role. */
  band: EpdsBand;
  flags: QuestionnaireFlags;
  /** Help to show, in display order (emergency numbers first when item 10 is positive). */
  resources: HelpResource[];
  /** The kind message the parent reads (never the score). */
  message: ResultMessage;
  language: EpdsLanguage;
  instrumentVersion: string;
}

/** Error codes of the public questionnaire endpoints (in the `code` of the error body). */
export const QUESTIONNAIRE_ERROR_CODES = {
  /** 400: `details` names each bad field (`answers`, `answers[3]`, `language`, `body.<extra>`). */
  invalidInput: 'invalid_input',
  /** 404: no such link (nothing else is revealed). */
  linkNotFound: 'link_not_found',
  /** 410: the link expired. */
  linkExpired: 'link_expired',
  /** 410: the invitation was cancelled or the parent no longer receives messages. */
  linkUnavailable: 'link_unavailable',
  /** 409: answers were already received for this invitation; the first ones are kept. */
  alreadyAnswered: 'already_answered',
  /** 429: too many unknown links from this address. */
  tooManyAttempts: 'too_many_attempts',
} as const;
