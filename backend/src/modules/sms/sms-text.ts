/**
 * The text of an SMS: pure functions, no I/O.
 *
 * Organisation name in SMS: the brief wants the organisation's name in the text but no health word, and real
 * names often contain one ("PMI du Pas-de-Calais"). The SMS shows the name with the forbidden words taken out
 * ("PMI du Pas-de-Calais" → "Pas-de-Calais"); when nothing meaningful is left, the organisation's alphanumeric
 * sender (e.g. "Lien62"). The rendered text is checked again before every send.
 */
import {
  analyseSms,
  DEFAULT_ORGANISATION_SETTINGS,
  findForbiddenSmsWords,
  renderSmsTemplate,
  type OrganisationSettings,
  type SmsAnalysis,
  type SmsKind,
} from '@lien/shared';

/** Little words or punctuation left dangling at the start or the end once a forbidden word is removed. */
const LINK_WORDS = '(?:de|du|des|la|le|les|et|en|of|the|and|for)';
const DANGLING_START = new RegExp(`^(?:${LINK_WORDS}\\s+|(?:d|l)['’]\\s*|[-–,:/&.]\\s*)+`, 'iu');
const DANGLING_END = new RegExp(`(?:\\s+${LINK_WORDS}|\\s*[-–,:/&])+$`, 'iu');

/** The organisation as SMS texts name it: its name without health words, or its sender ID. */
export function smsOrganisationName(organisation: { name: string; smsSender: string }): string {
  const key = `${organisation.smsSender}\u0000${organisation.name}`;
  const known = shownNames.get(key);
  if (known !== undefined) return known;
  const shown = computeOrganisationName(organisation);
  if (shownNames.size > 10_000) shownNames.clear();
  shownNames.set(key, shown);
  return shown;
}

/** Names are few and change rarely; every SMS needs one. */
const shownNames = new Map<string, string>();

function computeOrganisationName(organisation: { name: string; smsSender: string }): string {
  let name = organisation.name.normalize('NFC');
  for (const word of findForbiddenSmsWords(name)) name = name.split(word).join(' ');
  name = name.replace(/\s+/g, ' ').trim();
  let previous = '';
  while (previous !== name) {
    previous = name;
    name = name.replace(DANGLING_START, '').replace(DANGLING_END, '').trim();
  }
  const meaningful = /\p{L}{2,}/u.test(name) && findForbiddenSmsWords(name).length === 0;
  return meaningful ? name : organisation.smsSender;
}

export interface RenderedSms {
  text: string;
  analysis: SmsAnalysis;
  /** Which template made it: the organisation's, or the built-in default when the organisation's was unusable. */
  template: 'organisation' | 'default';
}

/**
 * The SMS text for a parent: the organisation's template in the parent's language (French when there is none),
 * falling back to the built-in template when the organisation's lacks the link or yields a health word. Null
 * when even that is not safe to send (never expected: the default templates are checked by the shared specs).
 */
export function renderSms(input: {
  templates: OrganisationSettings['smsTemplates'] | undefined;
  language: string;
  kind: SmsKind;
  organisationName: string;
  link: string;
}): RenderedSms | null {
  const values = { organisation: input.organisationName, link: input.link };
  const candidates: Array<[RenderedSms['template'], string | undefined]> = [
    ['organisation', (input.templates?.[input.language] ?? input.templates?.fr)?.[input.kind]],
    [
      'default',
      (DEFAULT_ORGANISATION_SETTINGS.smsTemplates[input.language] ??
        DEFAULT_ORGANISATION_SETTINGS.smsTemplates.fr)?.[input.kind],
    ],
  ];
  for (const [template, text] of candidates) {
    if (!text || !text.includes('{link}')) continue;
    const rendered = renderSmsTemplate(text, values);
    if (findForbiddenSmsWords(rendered).length > 0) continue;
    return { text: rendered, analysis: analyseSms(rendered), template };
  }
  return null;
}

/** The questionnaire link of a token: short, `https://<public-host>/q/<token>`. */
export function questionnaireLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/q/${token}`;
}

/** The link token inside an SMS body, or null: how a sent message is recognised at the provider. */
export function linkTokenIn(body: string): string | null {
  return /\/q\/([A-Za-z0-9_-]{16,})/.exec(body)?.[1] ?? null;
}

/**
 * Provider error texts without phone numbers: Twilio names the number in some messages ("Invalid 'To' Phone
 * Number: +33612345678"). E.164 (+33 6 12 34 56 78), international (0033...) and national (06 12 34 56 78,
 * 06.12.34.56.78) forms: any run of 7 or more digits, separators allowed between them, becomes "[phone]".
 * Error codes (5 digits) stay.
 */
export function scrubPhoneNumbers(text: string): string {
  return text.replace(/\+?\d(?:(?:[ .\u00a0-]| ?\(0\) ?)?\d){6,}/g, '[phone]');
}

/** "+33612345678" → "+336******78": enough to tell messages apart in the demo outbox, not a copy of the number. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 6)}${phone.slice(-2)}`;
}
