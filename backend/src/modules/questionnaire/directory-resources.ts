import type { EpdsLanguage, LocalResource, ReferralResourceKind } from '@lien/shared';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** What a parent's page shows of a referral directory entry (public service details, nothing about the parent). */
export interface DirectoryEntry {
  name: string;
  kind: ReferralResourceKind;
  address: string | null;
  /** E.164. */
  phone: string | null;
  /** ISO 639-1 codes. */
  languages: readonly string[];
  usualDelayDays: number | null;
}

/** At most this many entries on a page: it stays light (< 20 kB) and readable on a phone. */
export const DIRECTORY_ENTRIES_SHOWN = 8;

interface DirectoryText {
  kinds: Record<ReferralResourceKind, string>;
  /** Lead-in of the languages, colon included (French puts a space before it). */
  languages: string;
  delay: (days: number) => string;
}

const TEXT: Readonly<Record<EpdsLanguage, DirectoryText>> = {
  fr: {
    kinds: {
      cmp: 'Centre médico-psychologique (CMP)',
      private_psychiatrist: 'Psychiatre',
      private_psychologist: 'Psychologue',
      perinatal_psychiatry_unit: 'Unité de psychiatrie périnatale',
      mother_baby_unit: 'Unité mère-bébé',
      association: 'Association',
      helpline: 'Ligne d’écoute',
    },
    languages: 'Langues\u00a0: ',
    delay: (days) =>
      new Intl.PluralRules('fr').select(days) === 'one'
        ? `Premier rendez-vous en ${days} jour environ.`
        : `Premier rendez-vous en ${days} jours environ.`,
  },
  en: {
    kinds: {
      cmp: 'Public mental health centre (CMP)',
      private_psychiatrist: 'Psychiatrist',
      private_psychologist: 'Psychologist',
      perinatal_psychiatry_unit: 'Perinatal psychiatry unit',
      mother_baby_unit: 'Mother and baby unit',
      association: 'Association',
      helpline: 'Helpline',
    },
    languages: 'Languages: ',
    delay: (days) =>
      new Intl.PluralRules('en').select(days) === 'one'
        ? `First appointment in about ${days} day.`
        : `First appointment in about ${days} days.`,
  },
};

/** "+33321000000" as a French reader dials it ("03 21 00 00 00"); anything else as stored. */
function displayPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.isValid() ? parsed.formatNational() : e164;
}

function languageNames(language: EpdsLanguage, codes: readonly string[]): string {
  const names = new Intl.DisplayNames([language], { type: 'language', fallback: 'code' });
  return codes.map((code) => names.of(code) ?? code).join(', ');
}

/**
 * Directory entries as the local resources of the parents' pages (the shared `helpResources` places them: after
 * the emergency numbers when item 10 is positive). The description says what the place is, where, in which
 * languages and how soon, in the page's language.
 */
export function directoryLocalResources(
  language: EpdsLanguage,
  entries: readonly DirectoryEntry[],
): LocalResource[] {
  const text = TEXT[language];
  return entries.map((entry) => {
    const description = [
      `${text.kinds[entry.kind]}.`,
      entry.address ? `${entry.address}.` : '',
      entry.languages.length > 0 ? `${text.languages}${languageNames(language, entry.languages)}.` : '',
      entry.usualDelayDays !== null ? text.delay(entry.usualDelayDays) : '',
    ]
      .filter(Boolean)
      .join(' ');
    const resource: LocalResource = { name: entry.name, description };
    if (entry.phone) resource.phone = displayPhone(entry.phone);
    return resource;
  });
}
