import {
  ALERT_SEVERITY_RANK,
  type AlertDeadlineSetting,
  type AlertReason,
  type AlertSeverity,
} from '@lien/shared';
import { addWorkingDays } from '../invitations/schedule.js';
import { holidayRegionFor } from '../invitations/holidays.js';

/** What an EPDS response asks for, from the fields the questionnaire stored (band already used the org's thresholds for the role). */
export interface ResponseSignals {
  band: 'low' | 'moderate' | 'high';
  item10Positive: boolean;
  anxietyFlag: boolean;
}

export interface AlertVerdict {
  severity: AlertSeverity;
  reasons: AlertReason[];
}

/**
 * The alert rules: item 10 positive → urgent (any answer but "never", Cox 1987); high band → high;
 * moderate band or EPDS-3A anxiety flag → moderate. Every matching reason is kept. Null: no alert.
 */
export function evaluateResponse(signals: ResponseSignals): AlertVerdict | null {
  const reasons: AlertReason[] = [];
  if (signals.item10Positive) reasons.push('item10');
  if (signals.band === 'high') reasons.push('high_score');
  if (signals.band === 'moderate') reasons.push('moderate_score');
  if (signals.anxietyFlag) reasons.push('anxiety');
  if (reasons.length === 0) return null;
  const severity: AlertSeverity = signals.item10Positive
    ? 'urgent'
    : signals.band === 'high'
      ? 'high'
      : 'moderate';
  return { severity, reasons };
}

export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITY_RANK[severity];
}

/** The more severe of two severities (lower rank). */
export function moreSevere(a: AlertSeverity, b: AlertSeverity): AlertSeverity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

export function mergeReasons(existing: readonly AlertReason[], added: readonly AlertReason[]): AlertReason[] {
  return [...new Set([...existing, ...added])];
}

export interface AlertDeadlines {
  acknowledgeDueAt: Date;
  contactDueAt: Date;
}

/**
 * Deadlines of a severity from `from`: acknowledge in calendar hours; first contact in calendar hours or in
 * working days (weekends and the organisation's public holidays skipped, in its time zone).
 */
export function computeDeadlines(
  from: Date,
  setting: AlertDeadlineSetting,
  organisation: { timeZone: string; departement?: string | null },
): AlertDeadlines {
  const hour = 3_600_000;
  const acknowledgeDueAt = new Date(from.getTime() + setting.acknowledgeHours * hour);
  let contactDueAt: Date;
  if (setting.contactWorkingDays !== undefined && setting.contactWorkingDays !== null) {
    contactDueAt = addWorkingDays(
      from,
      setting.contactWorkingDays,
      organisation.timeZone,
      holidayRegionFor(organisation),
    );
  } else {
    contactDueAt = new Date(from.getTime() + (setting.contactHours ?? setting.acknowledgeHours) * hour);
  }
  return { acknowledgeDueAt, contactDueAt };
}

/** A deadline has passed with its step not done (and the alert is not closed). */
export function isOverdue(
  alert: {
    status: string;
    acknowledgeDueAt: Date;
    contactDueAt: Date;
    acknowledgedAt: Date | null;
    firstContactAt: Date | null;
  },
  now: Date,
): boolean {
  if (alert.status === 'closed') return false;
  return (
    (alert.acknowledgedAt === null && now.getTime() > alert.acknowledgeDueAt.getTime()) ||
    (alert.firstContactAt === null && now.getTime() > alert.contactDueAt.getTime())
  );
}
