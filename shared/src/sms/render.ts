/**
 * The text of an SMS, one builder for the API (what is sent) and the console (the settings preview), so that
 * the preview is exactly the text that will be sent.
 *
 * Organisation name in SMS: the brief wants the organisation's name in the text but no health word, and real
 * names often contain one ("PMI du Pas-de-Calais"). The SMS shows the name with the forbidden words taken out
 * ("PMI du Pas-de-Calais" → "Pas-de-Calais"); when nothing meaningful is left, the organisation's alphanumeric
 * sender (e.g. "Lien62"). The rendered text is checked again before every send.
 */
import { DEFAULT_ORGANISATION_SETTINGS, type OrganisationSettings } from '../organisation-settings.js';
import { analyseSms, type SmsAnalysis } from './gsm7.js';
import type { SmsKind } from '../statuses.js';
import { findForbiddenSmsWords, renderSmsTemplate } from './template.js';

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

/**
 * One template's text as the parent receives it: the organisation as SMS name it, the link in place. The one
 * builder of an SMS text: the API sends what it makes (through `renderSms`) and the console's settings preview
 * shows what it makes.
 */
export function smsText(
  template: string,
  organisation: { name: string; smsSender: string },
  link: string,
): string {
  return renderSmsTemplate(template, { organisation: smsOrganisationName(organisation), link });
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
  /** Named in the text as `smsOrganisationName` says (its name without health words, else its sender). */
  organisation: { name: string; smsSender: string };
  link: string;
}): RenderedSms | null {
  const candidates: Array<[RenderedSms['template'], string | undefined]> = [
    ['organisation', (input.templates?.[input.language] ?? input.templates?.['fr'])?.[input.kind]],
    [
      'default',
      (DEFAULT_ORGANISATION_SETTINGS.smsTemplates[input.language] ??
        DEFAULT_ORGANISATION_SETTINGS.smsTemplates['fr'])?.[input.kind],
    ],
  ];
  for (const [template, text] of candidates) {
    if (!text || !text.includes('{link}')) continue;
    const rendered = smsText(text, input.organisation, input.link);
    if (findForbiddenSmsWords(rendered).length > 0) continue;
    return { text: rendered, analysis: analyseSms(rendered), template };
  }
  return null;
}

/** The questionnaire link of a token: short, `https://<public-host>/q/<token>`. */
export function questionnaireLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/q/${token}`;
}
