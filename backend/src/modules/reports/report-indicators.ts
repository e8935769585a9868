import {
  ALERT_SEVERITIES,
  CLOSE_OUTCOMES,
  PARENT_ROLES,
  rateOfCells,
  statisticCell,
  type ReportBandCounts,
  type ReportCell,
  type ReportIndicators,
  type ReportInvitationWave,
  type ReportSmsCounts,
  type SmsKind,
} from '@lien/shared';
import { byKey } from './by-key.js';
import type { DisclosureSheet } from './report-disclosure.js';
import {
  careCascade,
  contactRequestIndicators,
  NO_SCREENING_FACTS,
  selfScreeningIndicators,
  type ScreeningFacts,
} from './report-screening.js';
import type { RollupCounters, RollupTotals } from './rollup-catalogue.js';

/** Time to first contact over a group's reached alerts (seconds), as the repository computes it. */
export interface ContactTimeStats {
  alerts: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export const NO_CONTACT_TIMES: ContactTimeStats = { alerts: 0, medianSeconds: null, p90Seconds: null };

/** Births followed and, of them, those where both parents answered (households), as the repository counts them. */
export interface BirthCounts {
  births: number;
  bothParentsScreened: number;
}

export const NO_BIRTHS: BirthCounts = { births: 0, bothParentsScreened: 0 };

const SMS_KINDS: readonly SmsKind[] = ['invitation', 'reminder'];

/** "day7" < "day42" < "adhoc" < anything else, alphabetically. */
export function compareWaves(a: string, b: string): number {
  const rank = (wave: string): number => {
    const days = /^day(\d+)$/.exec(wave);
    return days ? Number(days[1]) : wave === 'adhoc' ? 100_000 : 200_000;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

const INVITATION_COUNTS = [
  'planned',
  'sent',
  'delivered',
  'opened',
  'answered',
  'expired',
  'cancelled',
] as const;
const BAND_COUNTS = [
  'responses',
  'low',
  'moderate',
  'high',
  'item10Positive',
  'anxiety',
  'positive',
] as const;
const SMS_COUNTS = ['planned', 'accepted', 'delivered', 'undelivered', 'failed', 'segments'] as const;

/** A rate cell filled in once the counts are final, from the counts as published. */
function rate(sheet: DisclosureSheet, numerator: ReportCell, denominators: ReportCell[]): ReportCell {
  const cell: ReportCell = { value: null, suppressed: false };
  sheet.derive(() => {
    delete cell.reason;
    Object.assign(cell, rateOfCells(numerator, denominators));
  });
  return cell;
}

function invitationWave(
  sheet: DisclosureSheet,
  wave: string,
  counts: RollupCounters<'invitations'>,
  delivered: ReportCell,
): ReportInvitationWave {
  const planned = sheet.count(counts.planned);
  const sent = sheet.count(counts.sent);
  const opened = sheet.count(counts.opened);
  const answered = sheet.count(counts.answered);
  sheet.funnel([planned, sent, answered]);
  return {
    wave,
    planned,
    sent,
    delivered,
    opened,
    answered,
    expired: sheet.count(counts.expired),
    cancelled: sheet.count(counts.cancelled),
    responseRate: rate(sheet, answered, [sent]),
  };
}

function bandCounts(sheet: DisclosureSheet, counts: RollupCounters<'responses'>): ReportBandCounts {
  const cells = byKey(BAND_COUNTS, (name) => sheet.count(counts[name]));
  // The bands split the responses; positive = moderate + high + (low with item 10 positive).
  sheet.table(cells.responses, [cells.low, cells.moderate, cells.high]);
  sheet.table(cells.positive, [cells.moderate, cells.high]);
  sheet.subsets(cells.responses, [cells.positive, cells.item10Positive, cells.anxiety]);
  return { ...cells, positiveRate: rate(sheet, cells.positive, [cells.responses]) };
}

function smsCounts(sheet: DisclosureSheet, counts: RollupCounters<'sms'>): ReportSmsCounts {
  const cells = byKey(SMS_COUNTS, (name) => sheet.count(counts[name]));
  sheet.subset(cells.planned, cells.accepted);
  sheet.table(cells.accepted, [cells.delivered, cells.undelivered]);
  // Segments are about one per accepted message: hidden whenever the accepted count is.
  sheet.follows(cells.segments, cells.accepted);
  return {
    ...cells,
    deliveryRate: rate(sheet, cells.delivered, [cells.delivered, cells.undelivered, cells.failed]),
  };
}

/** Every counter of `total` is the sum of the same counter over `parts`. */
function tables<T extends object>(
  sheet: DisclosureSheet,
  names: readonly (keyof T)[],
  total: T,
  parts: readonly T[],
): void {
  for (const name of names) {
    sheet.table(
      total[name] as ReportCell,
      parts.map((part) => part[name] as ReportCell),
    );
  }
}

/**
 * The indicators of one group (or the total) from its rollup sums, as cells of `sheet`, with every table
 * and "of which" relation between them declared: `sheet.protect()` then decides what is shown.
 */
export function buildIndicators(
  sheet: DisclosureSheet,
  totals: RollupTotals,
  contact: ContactTimeStats,
  birthCounts: BirthCounts = NO_BIRTHS,
  screening: ScreeningFacts = NO_SCREENING_FACTS,
): ReportIndicators {
  const parents = totals.sum('parents');
  const waves = [
    ...new Set([
      ...totals.dimensionValues('invitations', 'dim1'),
      ...totals.dimensionValues('responses', 'dim1'),
    ]),
  ].sort(compareWaves);
  const alerts = totals.sum('alerts');

  const sms = smsCounts(sheet, totals.sum('sms'));
  const smsByKind = byKey(SMS_KINDS, (kind) =>
    smsCounts(
      sheet,
      totals.sum('sms', (dim) => dim === kind),
    ),
  );
  tables(sheet, SMS_COUNTS, sms, Object.values(smsByKind));

  const enrolled = sheet.count(parents.enrolled);
  const enrolledByRole = byKey(PARENT_ROLES, (role) =>
    sheet.count(totals.sum('parents', (dim) => dim === role).enrolled),
  );
  sheet.table(enrolled, Object.values(enrolledByRole));
  const births = sheet.count(birthCounts.births);
  const bothParentsScreened = sheet.count(birthCounts.bothParentsScreened);
  sheet.subset(births, bothParentsScreened);

  // The invitation SMS delivered are one figure, shown in the invitation funnel and in the SMS table.
  const invitationsAll = invitationWave(
    sheet,
    'all',
    totals.sum('invitations'),
    smsByKind.invitation.delivered,
  );
  const invitationsByWave = waves.map((wave) =>
    invitationWave(
      sheet,
      wave,
      totals.sum('invitations', (dim) => dim === wave),
      sheet.count(totals.sum('sms', (kind, smsWave) => kind === 'invitation' && smsWave === wave).delivered),
    ),
  );
  tables(sheet, INVITATION_COUNTS, invitationsAll, invitationsByWave);

  const responsesAll = bandCounts(sheet, totals.sum('responses'));
  const responsesByRole = byKey(PARENT_ROLES, (role) =>
    bandCounts(
      sheet,
      totals.sum('responses', (_wave, dim) => dim === role),
    ),
  );
  const responsesByWave = waves.map((wave) => ({
    wave,
    ...bandCounts(
      sheet,
      totals.sum('responses', (dim) => dim === wave),
    ),
  }));
  tables(sheet, BAND_COUNTS, responsesAll, Object.values(responsesByRole));
  tables(sheet, BAND_COUNTS, responsesAll, responsesByWave);

  const cell = (name: keyof RollupCounters<'alerts'>) => sheet.count(alerts[name]);
  const created = cell('created');
  const positive = cell('positive');
  const reached = cell('reached');
  const positiveReached = cell('positiveReached');
  const inCare = cell('inCare');
  const positiveInCare = cell('positiveInCare');
  const closed = cell('closed');
  const contactAlerts = sheet.count(contact.alerts);
  const bySeverity = byKey(ALERT_SEVERITIES, (severity) =>
    sheet.count(totals.sum('alerts', (dim) => dim === severity).created),
  );
  const closedByOutcome = byKey(CLOSE_OUTCOMES, (outcome) =>
    sheet.count(totals.sum('alerts', (_severity, dim) => dim === outcome).closed),
  );
  sheet.table(created, Object.values(bySeverity));
  sheet.table(closed, Object.values(closedByOutcome));
  sheet.subsets(created, [positive, reached, closed]);
  sheet.subset(positive, positiveReached);
  sheet.subset(reached, positiveReached);
  sheet.subset(positive, positiveInCare);
  sheet.subset(inCare, positiveInCare);
  sheet.subset(reached, contactAlerts);

  return {
    parents: {
      enrolled,
      enrolledByRole,
      optedOut: sheet.count(parents.optedOut),
      withdrawn: sheet.count(parents.withdrawn),
      births,
      bothParentsScreened,
      bothParentsScreenedRate: rate(sheet, bothParentsScreened, [births]),
    },
    invitations: { all: invitationsAll, byWave: invitationsByWave },
    responses: { all: responsesAll, byRole: responsesByRole, byWave: responsesByWave },
    alerts: {
      created,
      bySeverity,
      positive,
      positiveReached,
      positiveReachedRate: rate(sheet, positiveReached, [positive]),
      reached,
      referred: cell('referred'),
      inCare,
      positiveInCare,
      closed,
      closedByOutcome,
      timeToFirstContact: {
        alerts: contactAlerts,
        // A median is not a count: hidden over 1 to 4 alerts (small_sample), never "<5".
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
    sms: { ...sms, byKind: smsByKind },
    // The funnel shows the same cells as the tables above, so they are hidden alike.
    funnel: {
      enrolled,
      answered: responsesAll.responses,
      positive: responsesAll.positive,
      reached: positiveReached,
      inCare: positiveInCare,
    },
    selfScreenings: selfScreeningIndicators(sheet, screening.selfScreenings),
    contactRequests: contactRequestIndicators(sheet, screening.contactRequests, screening.contactMedian),
    cascade: careCascade(sheet, screening.cascade),
  };
}
