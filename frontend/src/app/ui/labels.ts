import type {
  AlertReason,
  AlertSeverity,
  AlertStatus,
  CloseOutcome,
  ContactChannel,
  ContactOutcome,
  EpdsBand,
  InvitationStatus,
  ParentRole,
  ParentStatus,
  ReferralTarget,
  SmsFailureReason,
  SmsKind,
  SmsStatus,
  UserRole,
} from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import type { IconName } from './icon';

/*
 * Translation keys of the shared vocabularies. The template-literal return types make the compiler check
 * that the dictionary has one entry per value (adding a status in shared/ fails the build until translated).
 */
export const severityKey = (value: AlertSeverity): `severity.${AlertSeverity}` & TranslationKey =>
  `severity.${value}`;
export const reasonKey = (value: AlertReason): `reason.${AlertReason}` & TranslationKey => `reason.${value}`;
export const alertStatusKey = (value: AlertStatus): `alertStatus.${AlertStatus}` & TranslationKey =>
  `alertStatus.${value}`;
export const outcomeKey = (value: CloseOutcome): `outcome.${CloseOutcome}` & TranslationKey =>
  `outcome.${value}`;
export const referralKey = (value: ReferralTarget): `referral.${ReferralTarget}` & TranslationKey =>
  `referral.${value}`;
export const channelKey = (value: ContactChannel): `channel.${ContactChannel}` & TranslationKey =>
  `channel.${value}`;
export const contactOutcomeKey = (
  value: ContactOutcome,
): `contactOutcome.${ContactOutcome}` & TranslationKey => `contactOutcome.${value}`;
export const bandKey = (value: EpdsBand): `band.${EpdsBand}` & TranslationKey => `band.${value}`;
export const parentRoleKey = (value: ParentRole): `parentRole.${ParentRole}` & TranslationKey =>
  `parentRole.${value}`;
export const parentStatusKey = (value: ParentStatus): `parentStatus.${ParentStatus}` & TranslationKey =>
  `parentStatus.${value}`;
export const invitationStatusKey = (
  value: InvitationStatus,
): `invitationStatus.${InvitationStatus}` & TranslationKey => `invitationStatus.${value}`;
export const smsStatusKey = (value: SmsStatus): `smsStatus.${SmsStatus}` & TranslationKey =>
  `smsStatus.${value}`;
export const smsKindKey = (value: SmsKind): `smsKind.${SmsKind}` & TranslationKey => `smsKind.${value}`;
export const smsFailureKey = (value: SmsFailureReason): `smsFailure.${SmsFailureReason}` & TranslationKey =>
  `smsFailure.${value}`;
export const userRoleKey = (value: UserRole): `userRole.${UserRole}` & TranslationKey => `userRole.${value}`;

/**
 * The vocabularies' keys for templates, one object for all: a component exposes `protected readonly labels = LABELS`
 * and its template writes `labels.severity(alert.severity) | t`.
 */
export const LABELS = {
  severity: severityKey,
  reason: reasonKey,
  alertStatus: alertStatusKey,
  outcome: outcomeKey,
  referral: referralKey,
  channel: channelKey,
  contactOutcome: contactOutcomeKey,
  band: bandKey,
  parentRole: parentRoleKey,
  parentStatus: parentStatusKey,
  invitationStatus: invitationStatusKey,
  smsStatus: smsStatusKey,
  smsKind: smsKindKey,
  smsFailure: smsFailureKey,
  userRole: userRoleKey,
} as const;

/** Severity icons: the severity is also said in words, never by colour alone. */
export const SEVERITY_ICON: Record<AlertSeverity, IconName> = {
  urgent: 'error',
  high: 'warning',
  moderate: 'info',
  low: 'schedule',
};

/** Known event types get a label; unknown ones (a newer API) fall back to a generic one. */
const EVENT_KEYS: Record<string, TranslationKey> = {
  created: 'event.created',
  severity_raised: 'event.severity_raised',
  response_added: 'event.response_added',
  contact_requested: 'event.contact_requested',
  escalated: 'event.escalated',
  sms_undelivered: 'event.sms_undelivered',
  sms_resolved: 'event.sms_resolved',
  paged: 'event.paged',
  page_sent: 'event.page_sent',
  page_failed: 'event.page_failed',
  page_fallback: 'event.page_fallback',
  page_acknowledged: 'event.page_acknowledged',
  acknowledge: 'event.acknowledge',
  assign: 'event.assign',
  note: 'event.note',
  contact_attempt: 'event.contact_attempt',
  referral: 'event.referral',
  in_care: 'event.in_care',
  close: 'event.close',
};

export function eventKey(type: string): TranslationKey {
  return EVENT_KEYS[type] ?? 'event.other';
}

/** "day7" → "J7", "adhoc" → "ponctuelle": keys for waves; unknown waves are shown as they are. */
export function waveLabel(
  wave: string,
  t: (key: TranslationKey, params?: Record<string, string | number>) => string,
): string {
  if (wave === 'adhoc') return t('wave.adhoc');
  const match = /^day(\d+)$/.exec(wave);
  return match ? t('wave.day', { day: match[1] ?? '' }) : wave;
}
