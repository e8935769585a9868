// The referral directory (`/api/referral-resources`): kept by org admins (their organisation) and
// coordinators (the organisations of their territory), read by the organisation's professionals.
import type { ReferralResourceKind } from '../statuses.js';

/** The fields of a directory entry, as created (every required field) or patched (some). */
export interface ReferralResourceFields {
  /** @example CMP Arras */
  name: string;
  kind: ReferralResourceKind;
  address: string | null;
  /**
   * E.164 in answers; French national or E.164 accepted in requests.
   * @example +33321000000
   */
  phone: string | null;
  /**
   * ISO 639-1 codes of the languages care is offered in.
   * @example ["fr","en"]
   */
  languages: string[];
  acceptsNewPatients: boolean;
  /** Usual wait for a first appointment, in days; null when unknown. */
  usualDelayDays: number | null;
}

/** A directory entry as the API answers it, with the organisation whose directory holds it. */
export interface ReferralResourceView extends ReferralResourceFields {
  /** @format uuid */
  id: string;
  /**
   * The organisation whose directory holds it
   * @format uuid
   */
  organisationId: string;
  /** @example Maternité d’Arras */
  organisationName: string;
  /** @format date-time */
  updatedAt: string;
}

/**
 * The body of `POST /api/referral-resources`. `organisationId` names the organisation whose directory receives
 * the entry: required for coordinators (an organisation of their territory), optional for org admins (theirs).
 */
export type ReferralResourceCreateRequest = ReferralResourceFields & { organisationId?: string };

/** The body of `PATCH /api/referral-resources/:id` (the organisation of an entry never changes). */
export type ReferralResourceUpdateRequest = Partial<ReferralResourceFields>;
