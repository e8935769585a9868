import type { ParentHistoryEvent, PlannedSms } from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import type { TranslationParams } from '../i18n/translation.service';
import {
  bandKey,
  channelKey,
  contactOutcomeKey,
  outcomeKey,
  referralKey,
  severityKey,
  smsKindKey,
  smsStatusKey,
  waveLabel,
} from '../ui/labels';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** Field names of a correction, in words ("prénom, téléphone"); an unknown field is shown as it is. */
const FIELD_KEYS: Record<string, TranslationKey> = {
  firstName: 'history.field.firstName',
  lastName: 'history.field.lastName',
  phone: 'history.field.phone',
  role: 'history.field.role',
  language: 'history.field.language',
  birthDate: 'history.field.birthDate',
  expectedTermDate: 'history.field.expectedTermDate',
  referentUserId: 'history.field.referentUserId',
};

/** One line of a parent's history, in the console's language (the note and who did it are shown beside it). */
export function historyText(
  event: ParentHistoryEvent,
  t: Translate,
  formatDay: (day: string) => string,
): string {
  const wave = event.wave ? waveLabel(event.wave, t) : '';
  switch (event.kind) {
    case 'updated':
      return t('history.updated', {
        fields: (event.fields ?? [])
          .map((field) => (FIELD_KEYS[field] ? t(FIELD_KEYS[field]) : field))
          .join(', '),
      });
    case 'sms':
      return event.sms
        ? t('history.sms', {
            kind: t(smsKindKey(event.sms.kind)),
            wave,
            status: t(smsStatusKey(event.sms.status)),
            error: event.sms.errorCode ? ` (${event.sms.errorCode})` : '',
          })
        : t('history.sms', { kind: '', wave, status: '', error: '' });
    case 'opened':
    case 'expired':
      return t(`history.${event.kind}`, { wave });
    case 'response':
      return t(event.result?.item10Positive ? 'history.responseItem10' : 'history.response', {
        wave,
        score: event.result?.score ?? '',
        band: event.result ? t(bandKey(event.result.band)) : '',
      });
    case 'alert':
    case 'severity_raised':
      return t(`history.${event.kind}`, { severity: event.severity ? t(severityKey(event.severity)) : '' });
    case 'assigned':
      return t('history.assigned', { name: event.assignee?.name ?? '' });
    case 'contact_attempt':
      return event.contact
        ? t('history.contact_attempt', {
            channel: t(channelKey(event.contact.channel)),
            outcome: t(contactOutcomeKey(event.contact.outcome)),
          })
        : t('history.contact_attempt', { channel: '', outcome: '' });
    case 'referral': {
      const to = event.referral ? t(referralKey(event.referral.to)) : '';
      return event.referral?.resourceName
        ? t('history.referralResource', { to, resource: event.referral.resourceName })
        : t('history.referral', { to });
    }
    case 'in_care':
      return event.careStartedOn
        ? t('history.inCareSince', { day: formatDay(event.careStartedOn) })
        : t('history.in_care');
    case 'closed':
      return t('history.closed', { outcome: event.closeOutcome ? t(outcomeKey(event.closeOutcome)) : '' });
    default:
      return t(`history.${event.kind}`);
  }
}

/** Who did it: a colleague's name; the parent for what they did themselves (opening, answering, asking, STOP). */
export function historyActor(event: ParentHistoryEvent, t: Translate): string | null {
  if (event.actor?.name) return t('parentDetail.historyBy', { name: event.actor.name });
  return ['opened', 'response', 'contact_requested', 'opted_out', 'opted_in'].includes(event.kind)
    ? t('parentDetail.historyByParent')
    : null;
}

/** "SMS invitation J42, prévu le 9 avr. 2026, 10:00" */
export function plannedText(sms: PlannedSms, t: Translate, formatInstant: (iso: string) => string): string {
  return t('parentDetail.plannedItem', {
    kind: t(smsKindKey(sms.kind)),
    wave: waveLabel(sms.wave, t),
    due: formatInstant(sms.dueAt),
  });
}
