import type { AlertSummary } from '@lien/shared';
import type { AlertEntity } from './alert.entity.js';
import { isOverdue } from './alert-rules.js';

/** The name-free view of an alert: the list, the live feed and the detail's header. */
export function toAlertSummary(alert: AlertEntity, now: Date): AlertSummary {
  return {
    id: alert.id,
    parentId: alert.parentId,
    contactRequestId: alert.contactRequestId ?? null,
    severity: alert.severity,
    reasons: [...alert.reasons],
    status: alert.status,
    assigneeId: alert.assigneeId,
    acknowledgeDueAt: alert.acknowledgeDueAt.toISOString(),
    contactDueAt: alert.contactDueAt.toISOString(),
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    firstContactAt: alert.firstContactAt?.toISOString() ?? null,
    escalatedAt: alert.escalatedAt?.toISOString() ?? null,
    overdue: isOverdue(alert, now),
    contactAttempts: alert.contactAttempts,
    outcome: alert.outcome,
    createdAt: alert.createdAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}
