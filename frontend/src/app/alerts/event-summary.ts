import {
  CLOSE_OUTCOMES,
  CONTACT_CHANNELS,
  REFERRAL_TARGETS,
  ALERT_SEVERITIES,
  SMS_FAILURE_REASONS,
} from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import type { TranslationParams } from '../i18n/translation.service';
import { channelKey, outcomeKey, referralKey, severityKey, smsFailureKey } from '../ui/labels';

type Translate = (key: TranslationKey, params?: TranslationParams) => string;

function oneOf<T extends string>(values: readonly T[], value: unknown): T | null {
  return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : null;
}

/** One line describing a follow-up event's payload (outcome, channel, referral target, note…). */
export function eventSummary(type: string, payload: Record<string, unknown>, t: Translate): string {
  const parts: string[] = [];
  switch (type) {
    case 'contact_attempt': {
      const channel = oneOf(CONTACT_CHANNELS, payload['channel']);
      const reached = payload['outcome'] === 'reached';
      parts.push(
        t(reached ? 'eventSummary.reached' : 'eventSummary.unreachable', {
          channel: channel ? t(channelKey(channel)) : '—',
        }),
      );
      break;
    }
    case 'referral': {
      // The target is stored as `referredTo` (`to` is the status reached); an entry's name and a free-text
      // destination say where exactly.
      const to = oneOf(REFERRAL_TARGETS, payload['referredTo'] ?? payload['to']);
      const resourceName = typeof payload['resourceName'] === 'string' ? payload['resourceName'] : '';
      if (to)
        parts.push(
          t('eventSummary.referredTo', {
            to: resourceName ? `${resourceName} (${t(referralKey(to))})` : t(referralKey(to)),
          }),
        );
      if (typeof payload['destination'] === 'string' && payload['destination'].trim())
        parts.push(t('eventSummary.destination', { destination: payload['destination'].trim() }));
      break;
    }
    case 'close': {
      const outcome = oneOf(CLOSE_OUTCOMES, payload['outcome']);
      if (outcome) parts.push(t('eventSummary.outcome', { outcome: t(outcomeKey(outcome)) }));
      break;
    }
    case 'severity_raised':
    case 'created': {
      const severity = oneOf(ALERT_SEVERITIES, payload['severity'] ?? payload['to']);
      if (severity) parts.push(t(severityKey(severity)));
      const failure = oneOf(SMS_FAILURE_REASONS, payload['deliveryReason']);
      if (failure) parts.push(t('eventSummary.smsFailure', { reason: t(smsFailureKey(failure)) }));
      break;
    }
    case 'sms_undelivered': {
      const failure = oneOf(SMS_FAILURE_REASONS, payload['deliveryReason']);
      if (failure) parts.push(t('eventSummary.smsFailure', { reason: t(smsFailureKey(failure)) }));
      break;
    }
    default:
      break;
  }
  const note =
    typeof payload['text'] === 'string'
      ? payload['text']
      : typeof payload['note'] === 'string'
        ? payload['note']
        : '';
  if (note.trim()) parts.push(t('eventSummary.note', { text: note.trim() }));
  return parts.join(' — ');
}
