/** SMS templates and the health words that must never reach a parent's phone (lock screens are public). */

export interface SmsTemplateValues {
  organisation: string;
  link: string;
}

export const SMS_TEMPLATE_PLACEHOLDERS = ['organisation', 'link'] as const;

/**
 * Replaces {organisation} and {link}, in one pass so that a value containing "{link}" is not expanded
 * again. Other braces are left untouched.
 */
export function renderSmsTemplate(template: string, values: SmsTemplateValues): string {
  return template.replace(
    /\{(organisation|link)\}/g,
    (_whole, name: keyof SmsTemplateValues) => values[name],
  );
}

/**
 * Health words forbidden in any SMS (brief: no "EPDS", "dépression", "PMI", baby, result). Matched at the
 * start of a word, ignoring case and accents, so that plurals and derived words ("psychologue", "résultats",
 * "dépressive") are caught too.
 */
export const FORBIDDEN_SMS_WORDS = [
  'epds',
  'dépression',
  'depression',
  'pmi',
  'bébé',
  'bebe',
  'baby',
  'résultat',
  'result',
  'score',
  'psy',
  'santé mentale',
  'mental health',
  'suicide',
] as const;

// "dépress" catches "dépressive" / "depressed"; "suicid" catches "suicidaire".
const FORBIDDEN_STEMS = [
  'epds',
  'depress',
  'pmi',
  'bebe',
  'baby',
  'babies',
  'result',
  'score',
  'psy',
  'sante mentale',
  'mental health',
  'suicid',
];

const FORBIDDEN_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${FORBIDDEN_STEMS.map((stem) => stem.replace(/ /g, '\\s+')).join('|')})[\\p{L}\\p{N}]*`,
  'gu',
);

/**
 * The forbidden words found in a text, as written there (e.g. ["Résultats", "PMI"]), each once. Empty when
 * the text is safe to send.
 */
export function findForbiddenSmsWords(text: string): string[] {
  // Fold each character on its own and remember where it came from, to report the original spelling.
  let folded = '';
  const origin: number[] = [];
  let offset = 0;
  for (const character of text) {
    const plain = character.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let i = 0; i < plain.length; i += 1) origin.push(offset);
    folded += plain;
    offset += character.length;
  }
  origin.push(text.length);

  const found = new Map<string, string>();
  for (const match of folded.matchAll(FORBIDDEN_PATTERN)) {
    const start = origin[match.index] ?? 0;
    const end = origin[match.index + match[0].length] ?? text.length;
    const word = text.slice(start, end);
    const key = match[0].replace(/\s+/g, ' ');
    if (!found.has(key)) found.set(key, word);
  }
  return [...found.values()];
}

/** A problem of an SMS template, as a value each reader says in its own words (API: English, console: i18n). */
export type SmsTemplateProblem =
  | { kind: 'missingLink' }
  | { kind: 'unknownPlaceholder'; name: string }
  | { kind: 'forbiddenWord'; word: string };

/** The one rule for an SMS template (empty when it can be saved): the API refuses and the console warns with it. */
export function smsTemplateProblems(template: string): SmsTemplateProblem[] {
  const problems: SmsTemplateProblem[] = [];
  if (!template.includes('{link}')) problems.push({ kind: 'missingLink' });
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] ?? '';
    if (!(SMS_TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name))
      problems.push({ kind: 'unknownPlaceholder', name });
  }
  for (const word of findForbiddenSmsWords(template)) problems.push({ kind: 'forbiddenWord', word });
  return problems;
}

/** Problems of an SMS template as an organisation admin would write it, in the API's words (empty: it can be saved). */
export function checkSmsTemplate(template: string): string[] {
  return smsTemplateProblems(template).map((problem) => {
    switch (problem.kind) {
      case 'missingLink':
        return 'the template must contain {link}';
      case 'unknownPlaceholder':
        return `unknown placeholder {${problem.name}}`;
      case 'forbiddenWord':
        return `forbidden word "${problem.word}"`;
    }
  });
}
