import {
  ALERT_STATUSES,
  type AlertReason,
  type AlertSeverity,
  type AlertStatus,
  type CloseOutcome,
} from '@lien/shared';
import type { Task, TaskStatus } from '../fhir-types.js';
import { paths } from './codes.js';
import { patientReference } from './clinical.mapper.js';

/** An alert as the Task mapper needs it. */
export interface AlertRecord {
  id: string;
  parentId: string;
  status: AlertStatus;
  severity: AlertSeverity;
  reasons: AlertReason[];
  outcome: CloseOutcome | null;
  contactDueAt: Date;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** The follow-up workflow (alert-workflow.ts) in FHIR Task statuses; Lien's own status stays in businessStatus. */
export const TASK_STATUS: Record<AlertStatus, TaskStatus> = {
  open: 'requested',
  acknowledged: 'accepted',
  contacted: 'in-progress',
  unreachable: 'in-progress',
  referred: 'in-progress',
  in_care: 'in-progress',
  closed: 'completed',
};

/** The alert statuses a FHIR Task status stands for (empty for statuses Lien never uses). */
export function alertStatusesFor(status: TaskStatus): AlertStatus[] {
  return ALERT_STATUSES.filter((alertStatus) => TASK_STATUS[alertStatus] === status);
}

const PRIORITY: Record<AlertSeverity, Task['priority']> = {
  urgent: 'stat',
  high: 'asap',
  moderate: 'urgent',
  low: 'routine',
};

export function toTask(alert: AlertRecord, baseUrl: string): Task {
  return {
    resourceType: 'Task',
    id: alert.id,
    meta: { lastUpdated: alert.updatedAt.toISOString() },
    status: TASK_STATUS[alert.status],
    businessStatus: {
      coding: [{ system: `${baseUrl}${paths.alertStatusSystem}`, code: alert.status }],
      text: alert.outcome ? `${alert.status} (${alert.outcome})` : alert.status,
    },
    intent: 'order',
    priority: PRIORITY[alert.severity],
    code: {
      coding: [
        { system: `${baseUrl}${paths.taskSystem}`, code: 'epds-follow-up', display: 'EPDS alert follow-up' },
      ],
      text: 'Contact the parent after a worrying EPDS screening',
    },
    for: patientReference(alert.parentId),
    authoredOn: alert.createdAt.toISOString(),
    lastModified: alert.updatedAt.toISOString(),
    executionPeriod: {
      start: alert.createdAt.toISOString(),
      ...(alert.closedAt ? { end: alert.closedAt.toISOString() } : {}),
    },
    // The contact deadline of the organisation's settings.
    restriction: { period: { end: alert.contactDueAt.toISOString() } },
    ...(alert.reasons.length > 0
      ? {
          reasonCode: {
            coding: alert.reasons.map((reason) => ({
              system: `${baseUrl}${paths.alertReasonSystem}`,
              code: reason,
            })),
            text: alert.reasons.join(', '),
          },
        }
      : {}),
  };
}
