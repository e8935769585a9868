import { CLOSE_OUTCOMES, type AlertEventType, type AlertStatus, type CloseOutcome } from './statuses.js';

/**
 * The follow-up state machine: open → acknowledged → contacted (reached) or unreachable (after N unreachable
 * attempts) → referred → in care → closed. Notes and assignment in any state but closed; close from any state
 * but closed. The API enforces it; the console reads it when the API has not said what is allowed.
 */
export const ALERT_ALLOWED_EVENTS: Readonly<Record<AlertStatus, readonly AlertEventType[]>> = {
  open: ['acknowledge', 'assign', 'note', 'close'],
  acknowledged: ['assign', 'note', 'contact_attempt', 'close'],
  contacted: ['assign', 'note', 'contact_attempt', 'referral', 'in_care', 'close'],
  unreachable: ['assign', 'note', 'contact_attempt', 'close'],
  referred: ['assign', 'note', 'referral', 'in_care', 'close'],
  in_care: ['assign', 'note', 'close'],
  closed: [],
};

/** The outcomes an alert may be closed with: none once closed, "unreachable" only once the alert is unreachable. */
export function allowedCloseOutcomes(status: AlertStatus): CloseOutcome[] {
  if (status === 'closed') return [];
  return CLOSE_OUTCOMES.filter((outcome) => outcome !== 'unreachable' || status === 'unreachable');
}
