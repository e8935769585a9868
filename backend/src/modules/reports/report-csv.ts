import {
  ALERT_SEVERITIES,
  CLOSE_OUTCOMES,
  PARENT_ROLES,
  suppressedLabel,
  type ReportBandCounts,
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

export const REPORT_CSV_HEADER = [
  'from',
  'to',
  'group',
  'group_label',
  'indicator',
  'dimension',
  'unit',
  'value',
  'suppressed',
  'suppression_reason',
];
const BOM = '\uFEFF';

function waveLines(wave: ReportInvitationWave): CsvLine[] {
  const dimension = `wave=${wave.wave}`;
  const counts: [string, ReportCell][] = [
    ['invitations_planned', wave.planned],
    ['invitations_sent', wave.sent],
    ['invitations_delivered', wave.delivered],
    ['invitations_opened', wave.opened],
    ['invitations_answered', wave.answered],
    ['invitations_expired', wave.expired],
    ['invitations_cancelled', wave.cancelled],
  ];
  return [
    ...counts.map(([indicator, cell]) => ({ indicator, dimension, unit: 'count' as const, cell })),
    { indicator: 'response_rate', dimension, unit: 'percent', cell: wave.responseRate },
  ];
}

function bandLines(dimension: string, bands: ReportBandCounts): CsvLine[] {
  const counts: [string, ReportCell][] = [
    ['responses', bands.responses],
    ['responses_low', bands.low],
    ['responses_moderate', bands.moderate],
    ['responses_high', bands.high],
    ['responses_item10_positive', bands.item10Positive],
    ['responses_anxiety', bands.anxiety],
    ['responses_positive', bands.positive],
  ];
  return [
    ...counts.map(([indicator, cell]) => ({ indicator, dimension, unit: 'count' as const, cell })),
    { indicator: 'positive_rate', dimension, unit: 'percent', cell: bands.positiveRate },
  ];
}

function smsLines(dimension: string, sms: ReportSmsCounts): CsvLine[] {
  const counts: [string, ReportCell][] = [
    ['sms_planned', sms.planned],
    ['sms_accepted', sms.accepted],
    ['sms_delivered', sms.delivered],
    ['sms_undelivered', sms.undelivered],
    ['sms_failed', sms.failed],
    ['sms_segments', sms.segments],
  ];
  return [
    ...counts.map(([indicator, cell]) => ({ indicator, dimension, unit: 'count' as const, cell })),
    { indicator: 'sms_delivery_rate', dimension, unit: 'percent', cell: sms.deliveryRate },
  ];
}

/** Every figure of a group as (indicator, dimension, unit, cell), in a stable order. */
export function indicatorLines(indicators: ReportIndicators): CsvLine[] {
  const { parents, invitations, responses, alerts, sms } = indicators;
  const count = (indicator: string, dimension: string, cell: ReportCell): CsvLine => ({
    indicator,
    dimension,
    unit: 'count',
    cell,
  });
  return [
    count('parents_enrolled', 'role=all', parents.enrolled),
    ...PARENT_ROLES.map((role) => count('parents_enrolled', `role=${role}`, parents.enrolledByRole[role])),
    count('parents_opted_out', '', parents.optedOut),
    count('parents_withdrawn', '', parents.withdrawn),
    count('births', '', parents.births),
    count('births_both_parents_screened', '', parents.bothParentsScreened),
    {
      indicator: 'births_both_parents_screened_rate',
      dimension: '',
      unit: 'percent',
      cell: parents.bothParentsScreenedRate,
    },
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
    {
      indicator: 'alerts_positive_reached_rate',
      dimension: '',
      unit: 'percent',
      cell: alerts.positiveReachedRate,
    },
    count('alerts_reached', '', alerts.reached),
    count('alerts_referred', '', alerts.referred),
    count('alerts_in_care', '', alerts.inCare),
    count('alerts_positive_in_care', '', alerts.positiveInCare),
    count('alerts_closed', 'outcome=all', alerts.closed),
    ...CLOSE_OUTCOMES.map((outcome) =>
      count('alerts_closed', `outcome=${outcome}`, alerts.closedByOutcome[outcome]),
    ),
    count('time_to_first_contact_alerts', '', alerts.timeToFirstContact.alerts),
    {
      indicator: 'time_to_first_contact_median',
      dimension: '',
      unit: 'minutes',
      cell: alerts.timeToFirstContact.medianMinutes,
    },
    {
      indicator: 'time_to_first_contact_p90',
      dimension: '',
      unit: 'minutes',
      cell: alerts.timeToFirstContact.p90Minutes,
    },
    ...smsLines('kind=all', sms),
    ...smsLines('kind=invitation', sms.byKind.invitation),
    ...smsLines('kind=reminder', sms.byKind.reminder),
  ];
}

function formatValue(line: CsvLine, decimalComma: boolean): string {
  if (line.cell.suppressed) return suppressedLabel(line.cell, line.unit === 'percent' ? 'rate' : line.unit);
  if (line.cell.value === null) return '';
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
 * Suppressed figures read "<5" (a count from 1 to 4) or "s" (any other hidden figure), with `suppressed` = 1
 * and the reason code in `suppression_reason`.
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
        line.dimension,
        line.unit,
        formatValue(line, decimalComma),
        line.cell.suppressed ? '1' : '0',
        line.cell.reason ?? '',
      ]);
    }
  }
  const text =
    BOM +
    rows.map((row) => row.map((field) => csvField(field, separator)).join(separator)).join('\r\n') +
    '\r\n';
  return { text, lines: rows.length - 1 };
}
