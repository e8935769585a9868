import type { TimelineEntry } from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import type { TranslationParams } from '../i18n/translation.service';
import {
  bandKey,
  eventKey,
  invitationStatusKey,
  severityKey,
  smsKindKey,
  smsStatusKey,
  waveLabel,
} from '../ui/labels';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

/** One line for a timeline entry (no names: the timeline is ids, statuses and scores). */
export function timelineText(
  entry: TimelineEntry,
  t: Translate,
  formatInstant: (iso: string) => string,
): string {
  switch (entry.kind) {
    case 'enrolled':
      return t('timeline.enrolled');
    case 'invitation_planned':
      return entry.deferredFrom
        ? t('timeline.plannedDeferred', {
            wave: waveLabel(entry.wave, t),
            due: formatInstant(entry.dueAt),
            from: formatInstant(entry.deferredFrom),
          })
        : t('timeline.planned', { wave: waveLabel(entry.wave, t), due: formatInstant(entry.dueAt) });
    case 'sms':
      return t('timeline.sms', {
        kind: t(smsKindKey(entry.smsKind)),
        status: t(smsStatusKey(entry.status)),
        error: entry.errorCode ? ` (${entry.errorCode})` : '',
      });
    case 'invitation_opened':
      return t('timeline.opened', { wave: waveLabel(entry.wave, t) });
    case 'invitation_expired':
      return t('timeline.expired', {
        wave: waveLabel(entry.wave, t),
        status: t(invitationStatusKey(entry.status)),
      });
    case 'response':
      return t(entry.item10Positive ? 'timeline.responseItem10' : 'timeline.response', {
        wave: waveLabel(entry.wave, t),
        score: entry.score,
        band: t(bandKey(entry.band)),
      });
    case 'alert':
      return t('timeline.alert', { severity: t(severityKey(entry.severity)) });
    case 'follow_up':
      return t('timeline.followUp', { event: t(eventKey(entry.type)) });
  }
}

/** Entries with an alert link. */
export function timelineAlertId(entry: TimelineEntry): string | null {
  return entry.kind === 'alert' || entry.kind === 'follow_up' ? entry.alertId : null;
}
