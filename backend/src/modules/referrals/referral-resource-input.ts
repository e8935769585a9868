import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  isFrenchPhoneCountry,
  isReferralResourceField,
  REFERRAL_RESOURCE_KINDS,
  type ApiErrorDetail,
  type ReferralResourceField,
  type ReferralResourceFields,
  type ReferralResourceKind,
} from '@lien/shared';

export type ReferralResourceInput = ReferralResourceFields;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A service's number (landlines welcome here, unlike parents'): French plans only, kept as E.164. */
function servicePhone(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value, 'FR');
  if (!parsed?.isValid() || !isFrenchPhoneCountry(parsed.country)) return null;
  return parsed.number;
}

/**
 * A directory entry from a POST (every required field) or a PATCH (`partial`: only the fields given). Every
 * problem is named by its field.
 */
export function readReferralResource(
  body: unknown,
  partial: boolean,
): { value: Partial<ReferralResourceInput>; problems: ApiErrorDetail[] } {
  const problems: ApiErrorDetail[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ field, message: `${field} ${message}` });
  };
  const value: Partial<ReferralResourceInput> = {};
  if (!isRecord(body)) {
    add('body', 'must be an object');
    return { value, problems };
  }
  for (const key of Object.keys(body))
    if (!isReferralResourceField(key)) add(key, 'is not a directory field');
  const has = (key: ReferralResourceField): boolean => body[key] !== undefined;

  if (has('name')) {
    const name = body['name'];
    if (typeof name !== 'string' || name.trim().length === 0 || name.trim().length > 200)
      add('name', 'must be a text of 1 to 200 characters');
    else value.name = name.trim();
  } else if (!partial) add('name', 'is required');
  if (has('kind')) {
    const kind = body['kind'];
    if (typeof kind !== 'string' || !(REFERRAL_RESOURCE_KINDS as readonly string[]).includes(kind))
      add('kind', `must be one of ${REFERRAL_RESOURCE_KINDS.join(', ')}`);
    else value.kind = kind as ReferralResourceKind;
  } else if (!partial) add('kind', 'is required');
  if (has('address')) {
    const address = body['address'];
    if (address === null || (typeof address === 'string' && address.trim() === '')) value.address = null;
    else if (typeof address !== 'string' || address.length > 300)
      add('address', 'must be a text of at most 300 characters');
    else value.address = address.trim();
  }
  if (has('phone')) {
    const phone = body['phone'];
    if (phone === null || phone === '') value.phone = null;
    else if (typeof phone !== 'string' || phone.length > 32) add('phone', 'must be a French phone number');
    else {
      const e164 = servicePhone(phone);
      if (e164) value.phone = e164;
      else add('phone', 'must be a French phone number');
    }
  }
  if (has('languages')) {
    const languages = body['languages'];
    if (
      !Array.isArray(languages) ||
      languages.length > 20 ||
      !languages.every((code) => typeof code === 'string' && /^[a-z]{2}$/.test(code))
    )
      add('languages', 'must be a list of two-letter language codes (ISO 639-1), e.g. ["fr", "ar"]');
    else value.languages = [...new Set(languages as string[])];
  }
  if (has('acceptsNewPatients')) {
    const accepts = body['acceptsNewPatients'];
    if (typeof accepts !== 'boolean') add('acceptsNewPatients', 'must be true or false');
    else value.acceptsNewPatients = accepts;
  }
  if (has('usualDelayDays')) {
    const days = body['usualDelayDays'];
    if (days === null) value.usualDelayDays = null;
    else if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 365)
      add('usualDelayDays', 'must be a whole number of days from 0 to 365, or null');
    else value.usualDelayDays = days;
  }
  return { value, problems };
}
