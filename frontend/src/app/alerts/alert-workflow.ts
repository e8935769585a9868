import {
  ALERT_ALLOWED_EVENTS,
  ALERT_SEVERITY_RANK,
  allowedCloseOutcomes,
  CLOSE_OUTCOMES,
  type AlertEventType,
  type AlertStatus,
  type AlertSummary,
  type CloseOutcome,
  type InvalidTransitionDetails,
} from '@lien/shared';

/** Order in which the console shows the workflow actions. */
export const ACTION_ORDER: readonly AlertEventType[] = [
  'acknowledge',
  'contact_attempt',
  'referral',
  'in_care',
  'close',
  'assign',
  'note',
];

/**
 * The actions to offer, in display order: the API's `allowedEvents` when given, else what the status allows in
 * the API's own table (`ALERT_ALLOWED_EVENTS`, shared).
 */
export function validNextSteps(
  status: AlertStatus,
  allowedByApi?: readonly AlertEventType[] | null,
): AlertEventType[] {
  const allowed = new Set(allowedByApi ?? ALERT_ALLOWED_EVENTS[status] ?? []);
  return ACTION_ORDER.filter((type) => allowed.has(type));
}

/**
 * Close outcomes to offer: the 409's list when we got one; otherwise all but "unreachable", which needs the
 * alert to be unreachable. Once the parent is in care, "in care" comes first.
 */
export function closeOutcomes(
  status: AlertStatus,
  allowedByApi?: readonly CloseOutcome[] | null,
): CloseOutcome[] {
  if (status === 'closed') return [];
  const outcomes = allowedByApi
    ? CLOSE_OUTCOMES.filter((outcome) => allowedByApi.includes(outcome))
    : allowedCloseOutcomes(status);
  if (status !== 'in_care') return outcomes;
  return [
    ...outcomes.filter((outcome) => outcome === 'in_care'),
    ...outcomes.filter((outcome) => outcome !== 'in_care'),
  ];
}

/** Reads a 409 `invalid_transition` answer's details, if that is what it is. */
export function invalidTransition(details: unknown): InvalidTransitionDetails | null {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return null;
  const allowed = (details as { allowed?: unknown }).allowed;
  if (!Array.isArray(allowed) || !allowed.every((value) => typeof value === 'string')) return null;
  const status = (details as { status?: unknown }).status;
  const outcomes = (details as { allowedOutcomes?: unknown }).allowedOutcomes;
  return {
    status: typeof status === 'string' ? (status as AlertStatus) : 'open',
    allowed: allowed as AlertEventType[],
    ...(Array.isArray(outcomes) ? { allowedOutcomes: outcomes as CloseOutcome[] } : {}),
  };
}

/** The deadline that matters now: acknowledgement while the alert is open, first contact until someone is reached. */
export function currentDeadline(
  alert: Pick<AlertSummary, 'status' | 'acknowledgeDueAt' | 'contactDueAt' | 'firstContactAt'>,
): {
  kind: 'acknowledge' | 'contact';
  dueAt: string;
} | null {
  if (alert.status === 'open') return { kind: 'acknowledge', dueAt: alert.acknowledgeDueAt };
  if ((alert.status === 'acknowledged' || alert.status === 'unreachable') && !alert.firstContactAt) {
    return { kind: 'contact', dueAt: alert.contactDueAt };
  }
  return null;
}

/**
 * Dashboard order, the API's (GET /api/alerts): my own overdue alerts first, then the other overdue ones, then the
 * rest; in each, severity (urgent first), then the nearest deadline, then the oldest.
 */
export function sortAlerts<
  T extends Pick<
    AlertSummary,
    | 'severity'
    | 'status'
    | 'acknowledgeDueAt'
    | 'contactDueAt'
    | 'firstContactAt'
    | 'createdAt'
    | 'overdue'
    | 'assigneeId'
  >,
>(alerts: readonly T[], me?: string | null): T[] {
  const group = (alert: T): number => (!alert.overdue ? 2 : me && alert.assigneeId === me ? 0 : 1);
  const deadline = (alert: T): number => {
    const due = currentDeadline(alert)?.dueAt ?? alert.contactDueAt;
    const time = Date.parse(due);
    return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
  };
  return [...alerts].sort(
    (a, b) =>
      group(a) - group(b) ||
      ALERT_SEVERITY_RANK[a.severity] - ALERT_SEVERITY_RANK[b.severity] ||
      deadline(a) - deadline(b) ||
      Date.parse(a.createdAt) - Date.parse(b.createdAt),
  );
}
