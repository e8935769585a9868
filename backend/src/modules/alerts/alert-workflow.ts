import type { AlertEventType, AlertStatus, CloseOutcome } from '@lien/shared';
import { CLOSE_OUTCOMES } from '@lien/shared';

/**
 * The follow-up state machine: open → acknowledged → contacted (reached) or unreachable (after N unreachable
 * attempts) → referred → in care → closed. Notes and assignment in any state but closed; close from any state
 * but closed, with an outcome ("unreachable" only once the alert is unreachable).
 */
export const ALLOWED_EVENTS: Record<AlertStatus, readonly AlertEventType[]> = {
  open: ['acknowledge', 'assign', 'note', 'close'],
  acknowledged: ['assign', 'note', 'contact_attempt', 'close'],
  contacted: ['assign', 'note', 'contact_attempt', 'referral', 'in_care', 'close'],
  unreachable: ['assign', 'note', 'contact_attempt', 'close'],
  referred: ['assign', 'note', 'referral', 'in_care', 'close'],
  in_care: ['assign', 'note', 'close'],
  closed: [],
};

export function allowedEvents(status: AlertStatus): AlertEventType[] {
  return [...ALLOWED_EVENTS[status]];
}

export function allowedCloseOutcomes(status: AlertStatus): CloseOutcome[] {
  if (status === 'closed') return [];
  return CLOSE_OUTCOMES.filter((outcome) => outcome !== 'unreachable' || status === 'unreachable');
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
