import { type ReferralResourceField, type ReferralResourceKind } from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import type { ReferralResourceRequest } from './referrals-api';

export const REFERRAL_KIND_KEYS: Record<ReferralResourceKind, TranslationKey> = {
  cmp: 'referrals.kind.cmp',
  private_psychiatrist: 'referrals.kind.private_psychiatrist',
  private_psychologist: 'referrals.kind.private_psychologist',
  perinatal_psychiatry_unit: 'referrals.kind.perinatal_psychiatry_unit',
  mother_baby_unit: 'referrals.kind.mother_baby_unit',
  association: 'referrals.kind.association',
  helpline: 'referrals.kind.helpline',
};

export const REFERRAL_FIELD_LABELS: Record<ReferralResourceField, TranslationKey> = {
  name: 'referrals.name',
  kind: 'referrals.kindLabel',
  address: 'referrals.address',
  phone: 'referrals.phone',
  languages: 'referrals.languages',
  acceptsNewPatients: 'referrals.acceptsNewPatients',
  usualDelayDays: 'referrals.usualDelayDays',
};

export const REFERRAL_ERROR_KEYS: Record<ReferralResourceField, TranslationKey> = {
  name: 'referrals.errors.name',
  kind: 'referrals.errors.kind',
  address: 'referrals.errors.address',
  phone: 'referrals.errors.phone',
  languages: 'referrals.errors.languages',
  acceptsNewPatients: 'referrals.errors.acceptsNewPatients',
  usualDelayDays: 'referrals.errors.usualDelayDays',
};

export const LANGUAGE_CODES = /^(?:[a-z]{2})(?:\s*,\s*[a-z]{2})*$/i;

export interface ReferralFormValue {
  name: string;
  kind: ReferralResourceKind | '';
  address: string;
  phone: string;
  languages: string;
  acceptsNewPatients: boolean;
  usualDelayDays: number | null;
}

/** The request from the form: empty texts as null, languages "fr, ar" as ["fr", "ar"]. */
export function referralRequest(value: ReferralFormValue): ReferralResourceRequest {
  return {
    name: value.name.trim(),
    kind: value.kind as ReferralResourceKind,
    address: value.address.trim() || null,
    phone: value.phone.trim() || null,
    languages: value.languages
      .split(',')
      .map((code) => code.trim().toLowerCase())
      .filter(Boolean),
    acceptsNewPatients: value.acceptsNewPatients,
    usualDelayDays:
      value.usualDelayDays === null || `${value.usualDelayDays}` === '' ? null : value.usualDelayDays,
  };
}

/** Lower case without accents: "Liévin" is found by "lievin". */
export const plain = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
