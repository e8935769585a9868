import {
  ALERT_SEVERITIES,
  CLOSE_OUTCOMES,
  CONTACT_REQUEST_CHANNELS,
  EPDS_BANDS,
  PARENT_ROLES,
  REPORT_CONTACT_ORIGINS,
  suppressedLabel,
  type ReportBandCounts,
  type ReportCascadeCounts,
  type ReportSuppressionReason,
  type ReportCell,
  type ReportCsvSeparator,
  type ReportIndicators,
  type ReportInvitationWave,
  type ReportSmsCounts,
  type ReportSummary,
} from '@lien/shared';

type Unit = 'count' | 'percent' | 'minutes';

interface CsvLine {
  indicator: string;
  dimension: string;
  unit: Unit;
  cell: ReportCell;
}

/** French headers: the indicator code stays a stable key for machines, its name is beside it. */
export const REPORT_CSV_HEADER = [
  'début',
  'fin',
  'groupe',
  'libellé du groupe',
  'indicateur',
  'nom de l’indicateur',
  'dimension',
  'unité',
  'valeur',
  'secret statistique',
  'motif du secret',
];

const UNIT_NAMES: Record<Unit, string> = { count: 'effectif', percent: 'pourcentage', minutes: 'minutes' };

const REASON_NAMES: Record<ReportSuppressionReason, string> = {
  small_count: 'effectif de 1 à 4',
  complementary: 'masqué pour qu’un petit effectif ne puisse être déduit par soustraction',
  count_suppressed: 'taux non calculé : un de ses effectifs est masqué',
  small_sample: 'durée non calculée : moins de 5 personnes',
};

/** The French name of every indicator code of the CSV. */
export const REPORT_INDICATOR_NAMES: Record<string, string> = {
  parents_enrolled: 'Parents inscrits',
  parents_opted_out: 'Désinscriptions',
  parents_withdrawn: 'Retraits par un professionnel',
  births: 'Naissances suivies',
  births_both_parents_screened: 'Naissances où les deux parents ont répondu',
  births_both_parents_screened_rate: 'Part des naissances où les deux parents ont répondu',
  invitations_planned: 'Questionnaires prévus',
  invitations_sent: 'Questionnaires envoyés',
  invitations_delivered: 'SMS d’invitation délivrés',
  invitations_opened: 'Questionnaires ouverts',
  invitations_answered: 'Questionnaires remplis',
  invitations_expired: 'Questionnaires expirés',
  invitations_cancelled: 'Questionnaires annulés',
  response_rate: 'Taux de réponse',
  responses: 'Réponses',
  responses_low: 'Réponses, score faible',
  responses_moderate: 'Réponses, score modéré',
  responses_high: 'Réponses, score élevé',
  responses_item10_positive: 'Réponses avec item 10 positif',
  responses_anxiety: 'Réponses avec signal d’anxiété',
  responses_positive: 'Dépistages positifs',
  positive_rate: 'Taux de dépistages positifs',
  alerts_created: 'Alertes créées',
  alerts_positive: 'Alertes sur dépistage positif',
  alerts_positive_reached: 'Alertes positives avec premier contact',
  alerts_positive_reached_rate: 'Part des parents positifs joints',
  alerts_reached: 'Alertes avec premier contact',
  alerts_referred: 'Alertes orientées',
  alerts_in_care: 'Alertes avec prise en charge',
  alerts_positive_in_care: 'Alertes positives avec prise en charge',
  alerts_closed: 'Alertes clôturées',
  time_to_first_contact_alerts: 'Alertes avec délai de premier contact',
  time_to_first_contact_median: 'Délai médian de premier contact',
  time_to_first_contact_p90: 'Délai de premier contact (90e centile)',
  sms_planned: 'SMS prévus',
  sms_accepted: 'SMS remis à l’opérateur',
  sms_delivered: 'SMS délivrés',
  sms_undelivered: 'SMS non délivrés',
  sms_failed: 'SMS en échec',
  sms_segments: 'Segments SMS (coût)',
  sms_delivery_rate: 'Taux de délivrance des SMS',
  self_screenings: 'Autodépistages',
  self_screenings_positive: 'Autodépistages positifs',
  self_screenings_item10_positive: 'Autodépistages avec item 10 positif',
  self_screenings_positive_rate: 'Taux d’autodépistages positifs',
  contact_requests: 'Demandes de contact',
  contact_requests_reached: 'Demandes de contact avec premier contact',
  contact_requests_first_contact_median: 'Délai médian entre la demande et le premier contact',
  contact_requests_enrolled: 'Demandes de contact devenues inscriptions',
  contact_requests_in_care: 'Demandes de contact arrivées à la prise en charge',
  contact_requests_enrolled_rate: 'Part des demandes devenues inscriptions',
  contact_requests_in_care_rate: 'Part des demandes arrivées à la prise en charge',
  cascade_screened: 'Étape 1 : parents dépistés',
  cascade_positive: 'Étape 2 : parents positifs',
  cascade_reached: 'Étape 3 : parents joints (premier contact)',
  cascade_referred: 'Étape 4 : parents orientés',
  cascade_in_care: 'Étape 5 : parents pris en charge',
  cascade_reached_within_deadline: 'Parents positifs joints dans le délai',
  cascade_reached_within_deadline_rate: 'Part des parents positifs joints dans le délai',
  cascade_median_positive_to_reached: 'Délai médian entre l’étape 2 et l’étape 3',
  cascade_median_reached_to_referred: 'Délai médian entre l’étape 3 et l’étape 4',
  cascade_median_referred_to_in_care: 'Délai médian entre l’étape 4 et l’étape 5',
};
const BOM = '\uFEFF';

/** One figure of a dimension, by its unit. */
const lineOf =
  (unit: Unit) =>
  (indicator: string, dimension: string, cell: ReportCell): CsvLine => ({ indicator, dimension, unit, cell });
const count = lineOf('count');
const percent = lineOf('percent');
const minutes = lineOf('minutes');

function waveLines(wave: ReportInvitationWave): CsvLine[] {
  const dimension = `wave=${wave.wave}`;
  return [
    count('invitations_planned', dimension, wave.planned),
    count('invitations_sent', dimension, wave.sent),
    count('invitations_delivered', dimension, wave.delivered),
    count('invitations_opened', dimension, wave.opened),
    count('invitations_answered', dimension, wave.answered),
    count('invitations_expired', dimension, wave.expired),
    count('invitations_cancelled', dimension, wave.cancelled),
    percent('response_rate', dimension, wave.responseRate),
  ];
}

function bandLines(dimension: string, bands: ReportBandCounts): CsvLine[] {
  return [
    count('responses', dimension, bands.responses),
    count('responses_low', dimension, bands.low),
    count('responses_moderate', dimension, bands.moderate),
    count('responses_high', dimension, bands.high),
    count('responses_item10_positive', dimension, bands.item10Positive),
    count('responses_anxiety', dimension, bands.anxiety),
    count('responses_positive', dimension, bands.positive),
    percent('positive_rate', dimension, bands.positiveRate),
  ];
}

function smsLines(dimension: string, sms: ReportSmsCounts): CsvLine[] {
  return [
    count('sms_planned', dimension, sms.planned),
    count('sms_accepted', dimension, sms.accepted),
    count('sms_delivered', dimension, sms.delivered),
    count('sms_undelivered', dimension, sms.undelivered),
    count('sms_failed', dimension, sms.failed),
    count('sms_segments', dimension, sms.segments),
    percent('sms_delivery_rate', dimension, sms.deliveryRate),
  ];
}

function cascadeLines(dimension: string, cascade: ReportCascadeCounts): CsvLine[] {
  return [
    count('cascade_screened', dimension, cascade.screened),
    count('cascade_positive', dimension, cascade.positive),
    count('cascade_reached', dimension, cascade.reached),
    count('cascade_referred', dimension, cascade.referred),
    count('cascade_in_care', dimension, cascade.inCare),
    count('cascade_reached_within_deadline', dimension, cascade.reachedWithinDeadline),
    percent('cascade_reached_within_deadline_rate', dimension, cascade.reachedWithinDeadlineRate),
    minutes('cascade_median_positive_to_reached', dimension, cascade.medianMinutes.positiveToReached),
    minutes('cascade_median_reached_to_referred', dimension, cascade.medianMinutes.reachedToReferred),
    minutes('cascade_median_referred_to_in_care', dimension, cascade.medianMinutes.referredToInCare),
  ];
}

/** Self-screenings, contact requests and the care cascade (issues 15 and 16). */
function screeningLines(indicators: ReportIndicators): CsvLine[] {
  const { selfScreenings: self, contactRequests: requests, cascade } = indicators;
  return [
    count('self_screenings', 'all', self.screenings),
    ...PARENT_ROLES.map((role) => count('self_screenings', `role=${role}`, self.byRole[role])),
    ...EPDS_BANDS.map((band) => count('self_screenings', `band=${band}`, self.byBand[band])),
    ...self.bySource.flatMap((source) => [
      count('self_screenings', `source=${source.source}`, source.screenings),
      count('self_screenings_positive', `source=${source.source}`, source.positive),
    ]),
    count('self_screenings_positive', 'all', self.positive),
    count('self_screenings_item10_positive', 'all', self.item10Positive),
    percent('self_screenings_positive_rate', 'all', self.positiveRate),
    count('contact_requests', 'all', requests.requests),
    ...CONTACT_REQUEST_CHANNELS.map((channel) =>
      count('contact_requests', `channel=${channel}`, requests.byChannel[channel]),
    ),
    ...REPORT_CONTACT_ORIGINS.map((origin) =>
      count('contact_requests', `origin=${origin}`, requests.byOrigin[origin]),
    ),
    ...requests.bySource.map((source) =>
      count('contact_requests', `source=${source.source}`, source.requests),
    ),
    count('contact_requests_reached', 'all', requests.reached),
    minutes('contact_requests_first_contact_median', 'all', requests.medianMinutesToFirstContact),
    count('contact_requests_enrolled', 'all', requests.enrolled),
    count('contact_requests_in_care', 'all', requests.inCare),
    percent('contact_requests_enrolled_rate', 'all', requests.enrolledRate),
    percent('contact_requests_in_care_rate', 'all', requests.inCareRate),
    ...cascadeLines('role=all', cascade),
    ...PARENT_ROLES.flatMap((role) => cascadeLines(`role=${role}`, cascade.byRole[role])),
  ];
}

/** Every figure of a group as (indicator, dimension, unit, cell), in a stable order. */
export function indicatorLines(indicators: ReportIndicators): CsvLine[] {
  const { parents, invitations, responses, alerts, sms } = indicators;
  return [
    count('parents_enrolled', 'role=all', parents.enrolled),
    ...PARENT_ROLES.map((role) => count('parents_enrolled', `role=${role}`, parents.enrolledByRole[role])),
    count('parents_opted_out', '', parents.optedOut),
    count('parents_withdrawn', '', parents.withdrawn),
    count('births', '', parents.births),
    count('births_both_parents_screened', '', parents.bothParentsScreened),
    percent('births_both_parents_screened_rate', '', parents.bothParentsScreenedRate),
    ...waveLines(invitations.all),
    ...invitations.byWave.flatMap(waveLines),
    ...bandLines('all', responses.all),
    ...PARENT_ROLES.flatMap((role) => bandLines(`role=${role}`, responses.byRole[role])),
    ...responses.byWave.flatMap((wave) => bandLines(`wave=${wave.wave}`, wave)),
    count('alerts_created', 'severity=all', alerts.created),
    ...ALERT_SEVERITIES.map((severity) =>
      count('alerts_created', `severity=${severity}`, alerts.bySeverity[severity]),
    ),
    count('alerts_positive', '', alerts.positive),
    count('alerts_positive_reached', '', alerts.positiveReached),
    percent('alerts_positive_reached_rate', '', alerts.positiveReachedRate),
    count('alerts_reached', '', alerts.reached),
    count('alerts_referred', '', alerts.referred),
    count('alerts_in_care', '', alerts.inCare),
    count('alerts_positive_in_care', '', alerts.positiveInCare),
    count('alerts_closed', 'outcome=all', alerts.closed),
    ...CLOSE_OUTCOMES.map((outcome) =>
      count('alerts_closed', `outcome=${outcome}`, alerts.closedByOutcome[outcome]),
    ),
    count('time_to_first_contact_alerts', '', alerts.timeToFirstContact.alerts),
    minutes('time_to_first_contact_median', '', alerts.timeToFirstContact.medianMinutes),
    minutes('time_to_first_contact_p90', '', alerts.timeToFirstContact.p90Minutes),
    ...smsLines('kind=all', sms),
    ...smsLines('kind=invitation', sms.byKind.invitation),
    ...smsLines('kind=reminder', sms.byKind.reminder),
    ...screeningLines(indicators),
  ];
}

/** The figure; empty when hidden (the mark is in its own column) or undefined. */
function formatValue(line: CsvLine, decimalComma: boolean): string {
  if (line.cell.suppressed || line.cell.value === null) return '';
  const value = line.unit === 'percent' ? Math.round(line.cell.value * 1000) / 10 : line.cell.value;
  const text = line.unit === 'count' ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
  return decimalComma ? text.replace('.', ',') : text;
}

/**
 * One CSV field: quoted when it holds the separator, a quote or a line break; a leading = + - @ (a
 * spreadsheet formula) is neutralised with an apostrophe, since organisation names are typed by people.
 */
export function csvField(value: string, separator: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The report as CSV: UTF-8 with a byte-order mark (spreadsheets then read accents right), CRLF line ends,
 * one line per figure. `semicolon` is for French Excel: `;` between fields and a decimal comma.
 * It renders the summary as the API computed it (report-disclosure.ts), so both show the same figures.
 * Headers and indicator names are in French. A hidden figure has an empty value, its mark in "secret
 * statistique" ("<5" for a count from 1 to 4, "s" for any other hidden figure: never "<5" for a rate or a
 * duration) and why in "motif du secret".
 */
export function renderReportCsv(
  summary: ReportSummary,
  separatorOption: ReportCsvSeparator = 'comma',
): { text: string; lines: number } {
  const separator = separatorOption === 'semicolon' ? ';' : ',';
  const decimalComma = separatorOption === 'semicolon';
  const rows: string[][] = [REPORT_CSV_HEADER];
  const groups = [{ key: 'total', label: 'Total', indicators: summary.total }, ...summary.groups];
  for (const group of groups) {
    for (const line of indicatorLines(group.indicators)) {
      rows.push([
        summary.from,
        summary.to,
        group.key,
        group.label,
        line.indicator,
        REPORT_INDICATOR_NAMES[line.indicator] ?? line.indicator,
        line.dimension,
        UNIT_NAMES[line.unit],
        formatValue(line, decimalComma),
        line.cell.suppressed ? suppressedLabel(line.cell, line.unit === 'percent' ? 'rate' : line.unit) : '',
        line.cell.suppressed ? REASON_NAMES[line.cell.reason ?? 'small_count'] : '',
      ]);
    }
  }
  const text =
    BOM +
    rows.map((row) => row.map((field) => csvField(field, separator)).join(separator)).join('\r\n') +
    '\r\n';
  return { text, lines: rows.length - 1 };
}
