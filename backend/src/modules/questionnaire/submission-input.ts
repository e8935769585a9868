import {
  EPDS_ITEM_COUNT,
  EPDS_OPTION_COUNT,
  isEpdsLanguage,
  isEpdsWording,
  validateEpdsAnswers,
  type ApiErrorDetail,
  type EpdsLanguage,
  type EpdsWording,
} from '@lien/shared';

/**
 * Reading what a parent (form) or a client (JSON) sent. Pure functions: no input can throw, every problem is
 * named, and nothing reaches scoring unless it is exactly 10 option indexes.
 */

export type JsonSubmission =
  { ok: true; answers: number[]; language: EpdsLanguage | null } | { ok: false; errors: ApiErrorDetail[] };

const JSON_FIELDS = new Set(['answers', 'language']);

/** `{answers: number[10], language?: "fr" | "en"}`, nothing else. */
export function parseJsonSubmission(body: unknown): JsonSubmission {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      errors: [{ field: 'body', message: 'must be a JSON object with an "answers" array' }],
    };
  }
  const record = body as Record<string, unknown>;
  const errors: ApiErrorDetail[] = [];
  for (const key of Object.keys(record)) {
    if (!JSON_FIELDS.has(key)) errors.push({ field: key, message: `property ${key} should not exist` });
  }
  const answers = validateEpdsAnswers(record.answers);
  if (!answers.ok) errors.push(...answers.errors);
  const language = record.language;
  if (language !== undefined && !isEpdsLanguage(language)) {
    errors.push({ field: 'language', message: 'must be one of fr, en' });
  }
  if (errors.length > 0 || !answers.ok) return { ok: false, errors };
  return { ok: true, answers: answers.answers, language: isEpdsLanguage(language) ? language : null };
}

export interface FormSubmission {
  /** One entry per item; undefined when missing or not an option index. */
  answers: (number | undefined)[];
  /** Item numbers without a valid answer. */
  missing: number[];
  /** Fields the page never sends were present. */
  unexpected: boolean;
  /** The `lang` field when it names a supported language. */
  language: EpdsLanguage | null;
  /** The `v` field (the page's wording) when it names a known wording. */
  wording: EpdsWording | null;
}

const OPTION_VALUE = new RegExp(`^[0-${EPDS_OPTION_COUNT - 1}]$`);
const FORM_FIELDS = new Set([
  'lang',
  'v',
  ...Array.from({ length: EPDS_ITEM_COUNT }, (_, index) => `q${index + 1}`),
]);

/** The urlencoded form: `q1`..`q10` (option index as text) and `lang`. Repeated fields count as invalid. */
export function parseFormSubmission(body: unknown): FormSubmission {
  const record =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const answers: (number | undefined)[] = [];
  const missing: number[] = [];
  for (let number = 1; number <= EPDS_ITEM_COUNT; number += 1) {
    const value = record[`q${number}`];
    if (typeof value === 'string' && OPTION_VALUE.test(value)) {
      answers.push(Number(value));
    } else {
      answers.push(undefined);
      missing.push(number);
    }
  }
  const lang = record.lang;
  return {
    answers,
    missing,
    unexpected: Object.keys(record).some((key) => !FORM_FIELDS.has(key)),
    language: isEpdsLanguage(lang) ? lang : null,
    wording: queryWording(record.v),
  };
}

/** `?lang=` of a page, when it names a supported language. */
export function queryLanguage(value: unknown): EpdsLanguage | null {
  return isEpdsLanguage(value) ? value : null;
}

/** `?v=` of a page (the wording), when it names a known one. */
export function queryWording(value: unknown): EpdsWording | null {
  return isEpdsWording(value) ? value : null;
}
