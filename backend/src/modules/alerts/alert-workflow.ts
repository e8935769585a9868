import {
  ALERT_ALLOWED_EVENTS,
  allowedCloseOutcomes,
  type AlertEventType,
  type AlertStatus,
  type CloseOutcome,
} from '@lien/shared';

// The table of allowed events and the close rule are shared with the console (`@lien/shared`); this module
// applies them to a request.

export function allowedEvents(status: AlertStatus): AlertEventType[] {
  return [...ALERT_ALLOWED_EVENTS[status]];
}

export interface TransitionInput {
  status: AlertStatus;
  type: AlertEventType;
  /** contact_attempt */
  contactOutcome?: 'reached' | 'unreachable';
  /** Unreachable attempts so far, this one included. */
  unreachableAttempts?: number;
  attemptsBeforeUnreachable?: number;
  /** close */
  closeOutcome?: CloseOutcome;
}

export type TransitionResult =
  | { ok: true; status: AlertStatus }
  | { ok: false; allowed: AlertEventType[]; allowedOutcomes?: CloseOutcome[] };

/** The status after an event, or the refusal with what is allowed now. */
export function transition(input: TransitionInput): TransitionResult {
  const { status, type } = input;
  const allowed = allowedEvents(status);
  if (!allowed.includes(type)) return { ok: false, allowed };
  switch (type) {
    case 'acknowledge':
      return { ok: true, status: 'acknowledged' };
    case 'assign':
    case 'note':
      return { ok: true, status };
    case 'contact_attempt': {
      if (input.contactOutcome === 'reached')
        return {
          ok: true,
          status: status === 'unreachable' || status === 'acknowledged' ? 'contacted' : status,
        };
      if (status === 'contacted') return { ok: true, status };
      const attempts = input.unreachableAttempts ?? 0;
      const threshold = input.attemptsBeforeUnreachable ?? 3;
      return { ok: true, status: attempts >= threshold ? 'unreachable' : status };
    }
    case 'referral':
      return { ok: true, status: 'referred' };
    case 'in_care':
      return { ok: true, status: 'in_care' };
    case 'close': {
      const outcomes = allowedCloseOutcomes(status);
      if (!input.closeOutcome || !outcomes.includes(input.closeOutcome))
        return { ok: false, allowed, allowedOutcomes: outcomes };
      return { ok: true, status: 'closed' };
    }
  }
}
