/** Lifecycle vocabularies shared by the API and the console. */
export const PARENT_STATUSES = ['active', 'opted_out', 'withdrawn'] as const;
export type ParentStatus = (typeof PARENT_STATUSES)[number];

export const INVITATION_STATUSES = [
  'planned',
  'sent',
  'opened',
  'completed',
  'expired',
  'cancelled',
  'skipped',
] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** `unknown`: the request left but no answer came back; it is checked with the provider before any resend. */
export const SMS_STATUSES = [
  'pending',
  'sending',
  'unknown',
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'cancelled',
] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];
export type SmsKind = 'invitation' | 'reminder';

export const EPDS_BANDS = ['low', 'moderate', 'high'] as const;
export type EpdsBand = (typeof EPDS_BANDS)[number];

export const ALERT_SEVERITIES = ['urgent', 'high', 'moderate', 'low'] as const;
/**
 * `sms_undelivered`: an invitation SMS did not reach the parent, a "check the number" task for the referent.
 * `contact_request`: a parent who self-screened asked to be contacted (the alert has no enrolled parent yet).
 */
export const ALERT_REASONS = [
  'item10',
  'high_score',
  'moderate_score',
  'anxiety',
  'no_response',
  'sms_undelivered',
  'contact_request',
] as const;
export type AlertReason = (typeof ALERT_REASONS)[number];

/** Why an SMS did not arrive, in plain words (from the provider's error code; see `smsFailureReason`). */
export const SMS_FAILURE_REASONS = [
  'unreachable',
  'unknown_number',
  'landline',
  'invalid_number',
  'not_mobile',
  'blocked',
  'filtered',
  'other',
] as const;
export type SmsFailureReason = (typeof SMS_FAILURE_REASONS)[number];

export const ALERT_STATUSES = [
  'open',
  'acknowledged',
  'contacted',
  'unreachable',
  'referred',
  'in_care',
  'closed',
] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_EVENT_TYPES = [
  'acknowledge',
  'assign',
  'note',
  'contact_attempt',
  'referral',
  'in_care',
  'close',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

export const REFERRAL_TARGETS = [
  'gp',
  'midwife',
  'psychiatrist',
  'pmi_psychologist',
  'perinatal_psychiatry_unit',
  'association',
  // Emergency routes, offered first when item 10 (self-harm) is positive.
  'samu',
  'emergency_department',
  'sector_psychiatry',
  // The other kinds of the referral directory, and a destination said in free text.
  'psychologist',
  'mother_baby_unit',
  'helpline',
  'other',
] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

/** Kinds of care resources in an organisation's referral directory. */
export const REFERRAL_RESOURCE_KINDS = [
  'cmp',
  'private_psychiatrist',
  'private_psychologist',
  'perinatal_psychiatry_unit',
  'mother_baby_unit',
  'association',
  'helpline',
] as const;
export type ReferralResourceKind = (typeof REFERRAL_RESOURCE_KINDS)[number];

/** The emergency routes of a referral (15/SAMU, emergency department, sector psychiatry/CMP). */
export const EMERGENCY_REFERRAL_TARGETS = ['samu', 'emergency_department', 'sector_psychiatry'] as const;

/** The referral target a directory entry of each kind stands for (a referral to an entry records both). */
export const REFERRAL_TARGET_OF_KIND: Record<ReferralResourceKind, ReferralTarget> = {
  cmp: 'sector_psychiatry',
  private_psychiatrist: 'psychiatrist',
  private_psychologist: 'psychologist',
  perinatal_psychiatry_unit: 'perinatal_psychiatry_unit',
  mother_baby_unit: 'mother_baby_unit',
  association: 'association',
  helpline: 'helpline',
};

export const CLOSE_OUTCOMES = ['in_care', 'declined', 'false_alarm', 'moved', 'unreachable'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export const RESPONSE_CHANNELS = ['web_form', 'api'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];
