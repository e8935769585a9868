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

/** `P` when the dictionary has a key `P.<value>` for every value of the vocabulary `V`; never otherwise. */
type TranslatedPrefix<P extends string, V extends string> = `${P}.${V}` extends TranslationKey ? P : never;

/**
 * The translation keys of one shared vocabulary: `vocabularyKey<AlertSeverity>()('severity')` gives
 * `(value) => 'severity.<value>'`. The prefix compiles only when the dictionary has one entry per value, so adding
 * a status in shared/ fails the build until it is translated.
 */
function vocabularyKey<V extends string>(): <P extends string>(
  prefix: TranslatedPrefix<P, V>,
) => (value: V) => `${P}.${V}` {
  return (prefix) => (value) => `${prefix}.${value}`;
}

export const severityKey = vocabularyKey<AlertSeverity>()('severity');
export const reasonKey = vocabularyKey<AlertReason>()('reason');
export const alertStatusKey = vocabularyKey<AlertStatus>()('alertStatus');
export const outcomeKey = vocabularyKey<CloseOutcome>()('outcome');
export const referralKey = vocabularyKey<ReferralTarget>()('referral');
export const channelKey = vocabularyKey<ContactChannel>()('channel');
export const contactOutcomeKey = vocabularyKey<ContactOutcome>()('contactOutcome');
export const bandKey = vocabularyKey<EpdsBand>()('band');
export const parentRoleKey = vocabularyKey<ParentRole>()('parentRole');
export const parentStatusKey = vocabularyKey<ParentStatus>()('parentStatus');
export const invitationStatusKey = vocabularyKey<InvitationStatus>()('invitationStatus');
export const smsStatusKey = vocabularyKey<SmsStatus>()('smsStatus');
export const smsKindKey = vocabularyKey<SmsKind>()('smsKind');
export const smsFailureKey = vocabularyKey<SmsFailureReason>()('smsFailure');
export const userRoleKey = vocabularyKey<UserRole>()('userRole');

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
