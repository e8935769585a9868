import {
  SMS_TEMPLATE_PLACEHOLDERS,
  analyseSms,
  findForbiddenSmsWords,
  smsText,
  type SmsAnalysis,
} from '@lien/shared';

export type TemplateProblem =
  | { kind: 'missingLink' }
  | { kind: 'unknownPlaceholder'; name: string }
  | { kind: 'forbiddenWord'; word: string };

/**
 * Problems of an SMS template, the same rules as `checkSmsTemplate` in @lien/shared (which the API applies),
 * as structured values so that the console can say them in the user's language.
 */
export function templateProblems(template: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (!template.includes('{link}')) problems.push({ kind: 'missingLink' });
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] ?? '';
    if (!(SMS_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name))
      problems.push({ kind: 'unknownPlaceholder', name });
  }
  for (const word of findForbiddenSmsWords(template)) problems.push({ kind: 'forbiddenWord', word });
  return problems;
}

/** A link as long as the real ones (`https://<host>/q/<22-character token>`), to count the segments truly sent. */
export function sampleLink(origin: string): string {
  return `${origin.replace(/\/$/, '')}/q/${'x'.repeat(22)}`;
}

/**
 * The SMS as the parent receives it, with its encoding and segment count: built by `smsText` of @lien/shared,
 * the function the API sends with (the organisation's name without health words, else its sender).
 */
export function analyseTemplate(
  template: string,
  organisation: { name: string; smsSender: string },
  link: string,
): SmsAnalysis & { text: string } {
  const text = smsText(template, organisation, link);
  return { ...analyseSms(text), text };
}
