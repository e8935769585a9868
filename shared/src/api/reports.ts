import type { AlertSeverity } from '../organisation-settings.js';
import type { ParentRole } from '../roles.js';
import type { ContactRequestChannel } from '../screening/index.js';
import type { CloseOutcome, EpdsBand, SmsKind } from '../statuses.js';

/**
 * Coordinator reports: pseudonymised aggregates for a period, a territory and/or an organisation.
 *
 * Every figure is counted on the organisation's local calendar day of:
 * - parents enrolled: enrolment (created); opt-outs and withdrawals: the status change;
 * - invitations (all funnel stages): their due date (the cohort of invitations planned in the period);
 * - SMS: their due date;
 * - responses: the answer;
 * - alerts (all stages, time to first contact): the alert's creation (the cohort of alerts raised in the period).
 *
 * Statistical secrecy (README "Report secrecy"), applied by the API to the summary and the CSV alike:
 * - any count from 1 to 4 is hidden (`reason: 'small_count'`, rendered "<5"); 0 stays 0;
 * - complementary suppression: in every table (a total and its parts, a group column and the total), more
 *   counts are hidden (`reason: 'complementary'`, rendered "s") until no hidden count can be worked out by
 *   subtraction;
 * - for coordinators and organisation admins (`roundingBase: 5`), every shown count is rounded to the nearest
 *   multiple of 5 and the period is widened to whole calendar months (`periodUnit: 'month'`), so that neither
 *   two overlapping requests nor two requests a day apart can be subtracted to reveal 1 to 4;
 * - rates are computed from the counts as published (never from a hidden one: `reason: 'count_suppressed'`);
 *   a median / p90 over 1 to 4 alerts is hidden (`reason: 'small_sample'`). "<5" is for counts only.
 * Render cells with `formatReportCell` so the console and the CSV say the same thing.
 */

export const REPORT_GROUP_BY = ['month', 'organisation', 'departement'] as const;
export type ReportGroupBy = (typeof REPORT_GROUP_BY)[number];

export const REPORT_CSV_SEPARATORS = ['comma', 'semicolon'] as const;
export type ReportCsvSeparator = (typeof REPORT_CSV_SEPARATORS)[number];

/** Longest period a report may cover. */
export const REPORT_MAX_SPAN_YEARS = 5;

/**
 * `GET /api/reports/summary` query; every field is optional.
 * - `from`, `to`: calendar days `YYYY-MM-DD`, both inclusive, `from <= to`, at most 5 years apart.
 *   Defaults: `to` = today (Europe/Paris), `from` = the first day of the month 11 months before `to` (12 months).
 *   For every caller but platform admins the period is widened to whole calendar months (`periodUnit`).
 * - `territory`: comma-separated items, each a département code ("62", "2A", "974") or `region:<name>`
 *   ("region:Hauts-de-France", names as in `FRENCH_REGIONS`). Items add up (union).
 * - `organisationId`: one organisation.
 * - `groupBy`: adds one breakdown (`groups`) next to the total.
 *
 * Scope: platform admins see everything; coordinators their départements / region; org admins their
 * organisation. A `territory` outside the caller's scope is refused with 403 (`territory_out_of_scope`);
 * an `organisationId` outside it answers 404, as for an organisation that does not exist.
 */
export interface ReportQuery {
  from?: string;
  to?: string;
  territory?: string;
  organisationId?: string;
  groupBy?: ReportGroupBy;
}

/** `GET /api/reports/export.csv` query: the summary's filters plus the separator (semicolon for French Excel). */
export interface ReportExportQuery extends ReportQuery {
  separator?: ReportCsvSeparator;
}

/**
 * One figure. Counts: `value` is the count, or null when suppressed (1 to 4).
 * Rates (0..1) and durations: `value` is null when suppressed or when undefined (denominator 0 / no data).
 */
export interface ReportCell {
  value: number | null;
  suppressed: boolean;
  /** Why a figure is hidden; present exactly when `suppressed`. */
  reason?: ReportSuppressionReason;
}

/**
 * - `small_count`: a count from 1 to 4 (primary secrecy);
 * - `complementary`: a count of 5 or more hidden so that a small count beside it cannot be worked out by
 *   subtraction (secondary secrecy);
 * - `count_suppressed`: a rate or a derived figure whose numerator or denominator is hidden;
 * - `small_sample`: a median or p90 over 1 to 4 people.
 */
export const REPORT_SUPPRESSION_REASONS = [
  'small_count',
  'complementary',
  'count_suppressed',
  'small_sample',
] as const;
export type ReportSuppressionReason = (typeof REPORT_SUPPRESSION_REASONS)[number];

/** `day`: any calendar days (platform admins); `month`: widened to whole calendar months. */
export type ReportPeriodUnit = 'day' | 'month';

export type ReportCellKind = 'count' | 'rate' | 'minutes';

export interface ReportParentIndicators {
  /** Parents enrolled in the period, every role. */
  enrolled: ReportCell;
  enrolledByRole: Record<ParentRole, ReportCell>;
  /** Opt-outs (parent's own choice) and withdrawals (by a professional) that happened in the period. */
  optedOut: ReportCell;
  withdrawn: ReportCell;
  /** Births followed (a household counts once), by the day their first parent was enrolled. */
  births: ReportCell;
  /** Of which two parents or more answered at least one questionnaire. */
  bothParentsScreened: ReportCell;
  /** bothParentsScreened / births. */
  bothParentsScreenedRate: ReportCell;
}

/** The invitation funnel of one wave (`wave: 'all'` for every wave together). */
export interface ReportInvitationWave {
  wave: string;
  /** Invitations due in the period, not cancelled nor skipped. */
  planned: ReportCell;
  sent: ReportCell;
  /** Invitation SMS (not reminders) confirmed delivered by the operator. */
  delivered: ReportCell;
  opened: ReportCell;
  answered: ReportCell;
  expired: ReportCell;
  /** Cancelled or skipped (withdrawn parent, out of window…). */
  cancelled: ReportCell;
  /** answered / sent. */
  responseRate: ReportCell;
}

export interface ReportBandCounts {
  responses: ReportCell;
  low: ReportCell;
  moderate: ReportCell;
  high: ReportCell;
  item10Positive: ReportCell;
  anxiety: ReportCell;
  /** Moderate or high band, or item 10 positive. */
  positive: ReportCell;
  /** positive / responses. */
  positiveRate: ReportCell;
}

export interface ReportResponseIndicators {
  all: ReportBandCounts;
  byRole: Record<ParentRole, ReportBandCounts>;
  byWave: (ReportBandCounts & { wave: string })[];
}

export interface ReportAlertIndicators {
  /** Alerts raised in the period (every reason, non-response included). */
  created: ReportCell;
  bySeverity: Record<AlertSeverity, ReportCell>;
  /** Alerts raised by a positive screening (item 10, high or moderate score). */
  positive: ReportCell;
  positiveReached: ReportCell;
  /** Share of positive parents reached: positiveReached / positive. */
  positiveReachedRate: ReportCell;
  /** Any alert with a first contact. */
  reached: ReportCell;
  referred: ReportCell;
  inCare: ReportCell;
  positiveInCare: ReportCell;
  closed: ReportCell;
  closedByOutcome: Record<CloseOutcome, ReportCell>;
  /** From the alert's creation to the first successful contact, over the alerts reached. */
  timeToFirstContact: {
    alerts: ReportCell;
    medianMinutes: ReportCell;
    p90Minutes: ReportCell;
  };
}

export interface ReportSmsCounts {
  /** Messages due in the period (not cancelled). */
  planned: ReportCell;
  /** Handed to the operator (queued, sent, delivered or undelivered): these are billed. */
  accepted: ReportCell;
  delivered: ReportCell;
  undelivered: ReportCell;
  failed: ReportCell;
  /** Segments of the accepted messages: the cost. */
  segments: ReportCell;
  /** delivered / (delivered + undelivered + failed). */
  deliveryRate: ReportCell;
}

export interface ReportSmsIndicators extends ReportSmsCounts {
  byKind: Record<SmsKind, ReportSmsCounts>;
}

/** The console's funnel chart: enrolled → answered → positive → reached → in care. */
export interface ReportFunnel {
  enrolled: ReportCell;
  answered: ReportCell;
  positive: ReportCell;
  reached: ReportCell;
  inCare: ReportCell;
}

/** Self-screenings of one source (`source`: its code, "direct" without a code, "unknown" for a bad code). */
export interface ReportScreeningSource {
  /** The source code; "direct" without a code, "unknown" for a code no source has. */
  source: string;
  /** The source's name as its organisation typed it; null for "direct" and "unknown". */
  name: string | null;
  screenings: ReportCell;
  /** Moderate or high band, or item 10 positive. */
  positive: ReportCell;
}

/**
 * Anonymous self-screenings (`/depistage`), counted on the local day they were made. A screening belongs to
 * the organisation of its source or, without a source, to the organisation its contact request was routed to;
 * one that is neither is in the platform-wide report only.
 */
export interface ReportSelfScreeningIndicators {
  screenings: ReportCell;
  bySource: ReportScreeningSource[];
  byRole: ReportRoleCells;
  byBand: ReportBandCells;
  item10Positive: ReportCell;
  positive: ReportCell;
  /** positive / screenings. */
  positiveRate: ReportCell;
}

/** Where a contact request was made: the public self-screening, or an invited parent's result page. */
export const REPORT_CONTACT_ORIGINS = ['self_screening', 'invited'] as const;
export type ReportContactOrigin = (typeof REPORT_CONTACT_ORIGINS)[number];

// The breakdowns of the self-screening and contact-request counts: one cell per role, band, channel, origin.
export type ReportRoleCells = Record<ParentRole, ReportCell>;
export type ReportBandCells = Record<EpdsBand, ReportCell>;
export type ReportChannelCells = Record<ContactRequestChannel, ReportCell>;
export type ReportOriginCells = Record<ReportContactOrigin, ReportCell>;

/** "Be contacted" requests made in the period (the cohort), and what became of them. */
export interface ReportContactRequestIndicators {
  requests: ReportCell;
  byChannel: ReportChannelCells;
  byOrigin: ReportOriginCells;
  /** By self-screening source (requests made from a self-screening only). */
  bySource: ReportContactSource[];
  /** Requests whose alert had a first successful contact. */
  reached: ReportCell;
  /** From the request to the first successful contact, over the requests reached (minutes). */
  medianMinutesToFirstContact: ReportCell;
  /** Requests turned into an enrolment. */
  enrolled: ReportCell;
  /** Requests whose alert reached "in care". */
  inCare: ReportCell;
  /** enrolled / requests, inCare / requests. */
  enrolledRate: ReportCell;
  inCareRate: ReportCell;
}

export interface ReportContactSource {
  source: string;
  name: string | null;
  requests: ReportCell;
}

/** The steps of the care cascade, in order. */
export const REPORT_CASCADE_STEPS = ['screened', 'positive', 'reached', 'referred', 'inCare'] as const;
export type ReportCascadeStep = (typeof REPORT_CASCADE_STEPS)[number];

/**
 * The care cascade of one set of parents: enrolled parents who answered a questionnaire in the period
 * (`screened`), of whom screened positive at least once in the period (`positive`); of those, the ones whose
 * first positive alert of the period had a first successful contact (`reached`), a referral (`referred`) and
 * care that began (`inCare`). Each step counts a subset of the one before.
 */
export interface ReportCascadeCounts {
  screened: ReportCell;
  positive: ReportCell;
  reached: ReportCell;
  referred: ReportCell;
  inCare: ReportCell;
  /** Positive parents reached by the alert's contact deadline. */
  reachedWithinDeadline: ReportCell;
  /** reachedWithinDeadline / positive. */
  reachedWithinDeadlineRate: ReportCell;
  /** Median delays between steps (minutes), each over the parents who made both steps. */
  medianMinutes: ReportCascadeMedians;
}

export interface ReportCascadeMedians {
  positiveToReached: ReportCell;
  reachedToReferred: ReportCell;
  referredToInCare: ReportCell;
}

export interface ReportCareCascade extends ReportCascadeCounts {
  byRole: ReportCascadeByRole;
}

export type ReportCascadeByRole = Record<ParentRole, ReportCascadeCounts>;

export interface ReportIndicators {
  parents: ReportParentIndicators;
  invitations: { all: ReportInvitationWave; byWave: ReportInvitationWave[] };
  responses: ReportResponseIndicators;
  alerts: ReportAlertIndicators;
  sms: ReportSmsIndicators;
  funnel: ReportFunnel;
  selfScreenings: ReportSelfScreeningIndicators;
  contactRequests: ReportContactRequestIndicators;
  cascade: ReportCareCascade;
}

/**
 * One breakdown line. `key`: "2026-03" (month), an organisation id, or a département code.
 * `label`: the month, the organisation's name, or the département's name.
 */
export interface ReportGroup {
  key: string;
  label: string;
  /** For organisation groups: the organisation's département. */
  departement?: string;
  indicators: ReportIndicators;
}

/** `GET /api/reports/summary` response. */
export interface ReportSummary {
  from: string;
  to: string;
  groupBy: ReportGroupBy | null;
  /** The territory items applied (normalised), empty for none. */
  territory: string[];
  /** @format uuid */
  organisationId: string | null;
  /** Organisations inside the report's scope (organisations are not people: never suppressed). */
  organisations: number;
  suppressionThreshold: number;
  /** 1: exact counts (platform admins); 5: every shown count rounded to the nearest multiple of 5. */
  roundingBase: number;
  /** How the period was aligned; with `month`, `from` / `to` are the first / last day of whole months. */
  periodUnit: ReportPeriodUnit;
  /** @format date-time */
  generatedAt: string;
  total: ReportIndicators;
  /**
   * With `groupBy`: every month of the period in order; or the organisations (by name) / départements (by
   * code) that have data. Empty without `groupBy`. Groups and total are protected together: a total may
   * show a figure whose parts are all hidden, but no hidden part equals the total minus the shown ones.
   */
  groups: ReportGroup[];
}
