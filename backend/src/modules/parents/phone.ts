/**
 * Parents' mobile numbers: parsed with libphonenumber-js (full metadata, which knows number types) and kept as
 * E.164. French metropolitan and overseas mobiles only: an SMS to a landline or a foreign number is a mistake.
 *
 * A national number is read in the organisation's own numbering plan: "0690 12 34 56" is a Guadeloupe mobile
 * for an organisation in 971 but an invalid metropolitan number elsewhere (the same digits exist in both plans).
 * Mayotte (976) numbers are +262 (the former +269 plan is Comoros', not accepted).
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { isFrenchPhoneCountry } from '@lien/shared';

const REGION_BY_DEPARTEMENT: Readonly<Record<string, CountryCode>> = {
  '971': 'GP',
  '972': 'MQ',
  '973': 'GF',
  '974': 'RE',
  '975': 'PM',
  '976': 'YT',
  '977': 'BL',
  '978': 'MF',
};

/** The numbering plan a national number ("06...") is read in, from the organisation's département. */
export function defaultPhoneRegion(departement: string | null | undefined): CountryCode {
  return (departement && REGION_BY_DEPARTEMENT[departement.trim()]) || 'FR';
}

export type PhoneParse = { ok: true; e164: string } | { ok: false; message: string };

export function parseMobilePhone(input: string, departement?: string | null): PhoneParse {
  const text = input.trim();
  if (!/^[+\d][\d\s.\-()/]{5,30}$/.test(text)) return { ok: false, message: 'must be a phone number' };
  const parsed = parsePhoneNumberFromString(text, defaultPhoneRegion(departement));
  if (!parsed || !parsed.isValid()) return { ok: false, message: 'is not a valid phone number' };
  if (!isFrenchPhoneCountry(parsed.country)) {
    return { ok: false, message: 'must be a French mobile number (metropolitan or overseas)' };
  }
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    return { ok: false, message: 'must be a mobile number (this looks like a landline or a special number)' };
  }
  return { ok: true, e164: parsed.number };
}

/** Whether a search text looks like a phone number rather than a name. */
export function looksLikePhone(text: string): boolean {
  return /^[+\d][\d\s.\-()/]*$/.test(text.trim()) && text.replace(/\D/g, '').length >= 6;
}
