import {
  ALERT_SEVERITIES,
  CLOSE_OUTCOMES,
  PARENT_ROLES,
  countCell,
  derivedCountCell,
  rateCell,
  statisticCell,
  type AlertSeverity,
  type CloseOutcome,
  type ParentRole,
  type ReportBandCounts,
  type ReportCell,
  type ReportIndicators,
  type ReportInvitationWave,
  type ReportSmsCounts,
  type SmsKind,
} from '@lien/shared';
import type { RollupCounters, RollupTotals } from './rollup-catalogue.js';

/** Time to first contact over a group's reached alerts (seconds), as the repository computes it. */
export interface ContactTimeStats {
  alerts: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export const NO_CONTACT_TIMES: ContactTimeStats = { alerts: 0, medianSeconds: null, p90Seconds: null };

const SMS_KINDS: readonly SmsKind[] = ['invitation', 'reminder'];

/** "day7" < "day42" < "adhoc" < anything else, alphabetically. */
export function compareWaves(a: string, b: string): number {
  const rank = (wave: string): number => {
    const days = /^day(\d+)$/.exec(wave);
    return days ? Number(days[1]) : wave === 'adhoc' ? 100_000 : 200_000;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

function invitationWave(
  wave: string,
  counts: RollupCounters<'invitations'>,
  delivered: number,
): ReportInvitationWave {
  return {
    wave,
    planned: countCell(counts.planned),
    sent: countCell(counts.sent),
    delivered: countCell(delivered),
    opened: countCell(counts.opened),
    answered: countCell(counts.answered),
    expired: countCell(counts.expired),
    cancelled: countCell(counts.cancelled),
    responseRate: rateCell(counts.answered, counts.sent),
  };
}

function bandCounts(counts: RollupCounters<'responses'>): ReportBandCounts {
  return {
    responses: countCell(counts.responses),
    low: countCell(counts.low),
    moderate: countCell(counts.moderate),
    high: countCell(counts.high),
    item10Positive: countCell(counts.item10Positive),
    anxiety: countCell(counts.anxiety),
    positive: countCell(counts.positive),
    positiveRate: rateCell(counts.positive, counts.responses),
  };
}

function smsCounts(counts: RollupCounters<'sms'>): ReportSmsCounts {
  return {
    planned: countCell(counts.planned),
    accepted: countCell(counts.accepted),
    delivered: countCell(counts.delivered),
    undelivered: countCell(counts.undelivered),
    failed: countCell(counts.failed),
    segments: derivedCountCell(counts.segments, counts.accepted),
    deliveryRate: rateCell(counts.delivered, counts.delivered + counts.undelivered + counts.failed),
  };
}

function byKey<K extends string>(keys: readonly K[], cell: (key: K) => ReportCell): Record<K, ReportCell> {
  return Object.fromEntries(keys.map((key) => [key, cell(key)])) as Record<K, ReportCell>;
}

/**
 * The indicators of one group (or the total) from its rollup sums, with small-cell suppression applied
 * to every count and to everything derived from a hidden count.
 */
export function buildIndicators(totals: RollupTotals, contact: ContactTimeStats): ReportIndicators {
  const parents = totals.sum('parents');
  const deliveredInvitationSms = (wave?: string) =>
    totals.sum('sms', (kind, smsWave) => kind === 'invitation' && (wave === undefined || smsWave === wave))
      .delivered;
  const waves = [
    ...new Set([
      ...totals.dimensionValues('invitations', 'dim1'),
      ...totals.dimensionValues('responses', 'dim1'),
    ]),
  ].sort(compareWaves);
  const responses = totals.sum('responses');
  const alerts = totals.sum('alerts');
  const sms = totals.sum('sms');

  return {
    parents: {
      enrolled: countCell(parents.enrolled),
      enrolledByRole: byKey<ParentRole>(PARENT_ROLES, (role) =>
        countCell(totals.sum('parents', (dim) => dim === role).enrolled),
      ),
      optedOut: countCell(parents.optedOut),
      withdrawn: countCell(parents.withdrawn),
    },
    invitations: {
      all: invitationWave('all', totals.sum('invitations'), deliveredInvitationSms()),
      byWave: waves.map((wave) =>
        invitationWave(
          wave,
          totals.sum('invitations', (dim) => dim === wave),
          deliveredInvitationSms(wave),
        ),
      ),
    },
    responses: {
      all: bandCounts(responses),
      byRole: Object.fromEntries(
        PARENT_ROLES.map((role) => [role, bandCounts(totals.sum('responses', (_wave, dim) => dim === role))]),
      ) as Record<ParentRole, ReportBandCounts>,
      byWave: waves.map((wave) => ({ wave, ...bandCounts(totals.sum('responses', (dim) => dim === wave)) })),
    },
    alerts: {
      created: countCell(alerts.created),
      bySeverity: byKey<AlertSeverity>(ALERT_SEVERITIES, (severity) =>
        countCell(totals.sum('alerts', (dim) => dim === severity).created),
      ),
      positive: countCell(alerts.positive),
      positiveReached: countCell(alerts.positiveReached),
      positiveReachedRate: rateCell(alerts.positiveReached, alerts.positive),
      reached: countCell(alerts.reached),
      referred: countCell(alerts.referred),
      inCare: countCell(alerts.inCare),
      positiveInCare: countCell(alerts.positiveInCare),
      closed: countCell(alerts.closed),
      closedByOutcome: byKey<CloseOutcome>(CLOSE_OUTCOMES, (outcome) =>
        countCell(totals.sum('alerts', (_severity, dim) => dim === outcome).closed),
      ),
      timeToFirstContact: {
        alerts: countCell(contact.alerts),
        medianMinutes: statisticCell(
          contact.medianSeconds === null ? null : contact.medianSeconds / 60,
          contact.alerts,
        ),
        p90Minutes: statisticCell(
          contact.p90Seconds === null ? null : contact.p90Seconds / 60,
          contact.alerts,
        ),
      },
    },
    sms: {
      ...smsCounts(sms),
      byKind: Object.fromEntries(
        SMS_KINDS.map((kind) => [kind, smsCounts(totals.sum('sms', (dim) => dim === kind))]),
      ) as Record<SmsKind, ReportSmsCounts>,
    },
    funnel: {
      enrolled: countCell(parents.enrolled),
      answered: countCell(responses.responses),
      positive: countCell(responses.positive),
      reached: countCell(alerts.positiveReached),
      inCare: countCell(alerts.positiveInCare),
    },
  };
}
