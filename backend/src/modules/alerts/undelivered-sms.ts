import type { SmsFailureReason } from '@lien/shared';

/**
 * Twilio error codes → a reason a professional can act on (the console labels it in French or English).
 * https://www.twilio.com/docs/api/errors
 */
const BY_CODE: Readonly<Record<string, SmsFailureReason>> = {
  '30003': 'unreachable', // phone off or out of coverage
  '30005': 'unknown_number', // the number does not exist (any more)
  '30006': 'landline', // landline or a carrier that cannot receive SMS
  '21211': 'invalid_number',
  '21614': 'not_mobile',
  '30004': 'blocked', // blocked by the recipient or their carrier
  '21612': 'blocked', // no route to this number
  '30007': 'filtered', // filtered by the carrier
};

/** The plain reason of a provider error code ('other' for codes without a plain meaning, or none). */
export function smsFailureReason(errorCode: string | null | undefined): SmsFailureReason {
  return (errorCode && BY_CODE[errorCode]) || 'other';
}

/** What an undelivered invitation SMS records on the referent's task (ids and codes only, no phone). */
export interface UndeliveredSms {
  smsMessageId: string;
  invitationId: string;
  errorCode: string | null;
}
