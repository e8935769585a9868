import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { FRENCH_PHONE_COUNTRIES, isFrenchPhoneCountry } from '@lien/shared';

export type PhoneCheck =
  { ok: true; e164: string } | { ok: false; reason: 'empty' | 'invalid' | 'not_mobile' };

/**
 * A French (metropolitan or overseas) mobile number, typed nationally ("06 12 34 56 78", "0690 12 34 56")
 * or internationally ("+590 690 12 34 56"), as E.164. Mirrors the API's rule, so errors show before sending;
 * the API stays the judge.
 */
export function checkFrenchMobile(input: string): PhoneCheck {
  const value = input.trim();
  if (!value) return { ok: false, reason: 'empty' };
  for (const region of FRENCH_PHONE_COUNTRIES) {
    const parsed = parsePhoneNumberFromString(value, region);
    if (!parsed) continue;
    if (parsed.country && !isFrenchPhoneCountry(parsed.country)) continue;
    if (parsed.isValid()) {
      const type = parsed.getType();
      if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return { ok: true, e164: parsed.number };
    }
    // An explicit international prefix names the country: no other region to try.
    if (value.startsWith('+') || value.startsWith('00')) break;
  }
  // Mobile-only metadata does not recognise landlines: French landline and box numbers (01-05, 09) are
  // named as such, since "not a mobile" helps more than "invalid".
  const digits = value.replace(/[^\d+]/g, '').replace(/^(\+|00)33/, '0');
  if (/^0[1-59]\d{8}$/.test(digits)) return { ok: false, reason: 'not_mobile' };
  return { ok: false, reason: 'invalid' };
}
