import type { ReferralResourceFields } from './api/referrals.js';

/**
 * The fields of a referral directory entry, in form order: the API names each problem of a request by one of
 * them and refuses any other, the console labels them and places the API's problems on them.
 */
export const REFERRAL_RESOURCE_FIELDS = [
  'name',
  'kind',
  'address',
  'phone',
  'languages',
  'acceptsNewPatients',
  'usualDelayDays',
] as const satisfies readonly (keyof ReferralResourceFields)[];
export type ReferralResourceField = (typeof REFERRAL_RESOURCE_FIELDS)[number];

export function isReferralResourceField(key: string): key is ReferralResourceField {
  return (REFERRAL_RESOURCE_FIELDS as readonly string[]).includes(key);
}
