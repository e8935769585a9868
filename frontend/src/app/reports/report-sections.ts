import {
  CONTACT_REQUEST_CHANNELS,
  EPDS_BANDS,
  PARENT_ROLES,
  REPORT_CASCADE_STEPS,
  REPORT_CONTACT_ORIGINS,
  type ReportCascadeCounts,
  type ReportCell,
  type ReportCellKind,
  type ReportIndicators,
} from '@lien/shared';
import type { TranslationKey } from '../i18n/fr';
import { parentRoleKey, waveLabel } from '../ui/labels';
import type { ReportTableRow } from './report-table.component';

/** The page's tiles and tables from a report's total: pure, so the page only wires them to its signals. */

export interface Tile {
  label: TranslationKey;
  cell: ReportCell;
  kind: ReportCellKind;
  testId: string;
}

export type Translate = (key: TranslationKey, params?: Record<string, string | number>) => string;

const ZERO: ReportCell = { value: 0, suppressed: false };

const tile = (label: TranslationKey, cell: ReportCell, kind: ReportCellKind, testId: string): Tile => ({
  label,
  cell,
  kind,
  testId,
});

export function overviewTiles(total: ReportIndicators): Tile[] {
  return [
    tile('reports.enrolled', total.parents.enrolled, 'count', 'enrolled'),
    tile('reports.enrolledMothers', total.parents.enrolledByRole.mother, 'count', 'mothers'),
    tile('reports.enrolledFathers', total.parents.enrolledByRole.father, 'count', 'fathers'),
    tile(
      'reports.bothParentsScreened',
      total.parents.bothParentsScreenedRate,
      'rate',
      'both-parents-screened',
    ),
    tile('reports.sent', total.invitations.all.sent, 'count', 'sent'),
    tile('reports.responseRate', total.invitations.all.responseRate, 'rate', 'response-rate'),
    tile('reports.positiveRate', total.responses.all.positiveRate, 'rate', 'positive-rate'),
    tile('reports.item10', total.responses.all.item10Positive, 'count', 'item10'),
    tile('reports.reachedRate', total.alerts.positiveReachedRate, 'rate', 'reached-rate'),
    tile('reports.medianContact', total.alerts.timeToFirstContact.medianMinutes, 'minutes', 'median-contact'),
    tile('reports.inCare', total.alerts.inCare, 'count', 'in-care'),
    tile('reports.optedOut', total.parents.optedOut, 'count', 'opted-out'),
    tile('reports.deliveryRate', total.sms.deliveryRate, 'rate', 'delivery-rate'),
    tile('reports.segments', total.sms.segments, 'count', 'segments'),
  ];
}

export function screeningTiles(total: ReportIndicators): Tile[] {
  const { selfScreenings: self, contactRequests: requests } = total;
  return [
    tile('reports.selfScreenings', self.screenings, 'count', 'self-screenings'),
    tile('reports.selfScreeningPositiveRate', self.positiveRate, 'rate', 'self-screening-positive-rate'),
    tile('reports.contactRequests', requests.requests, 'count', 'contact-requests'),
    tile('reports.contactReached', requests.reached, 'count', 'contact-reached'),
    tile('reports.contactMedian', requests.medianMinutesToFirstContact, 'minutes', 'contact-median'),
    tile('reports.contactEnrolled', requests.enrolled, 'count', 'contact-enrolled'),
    tile('reports.contactEnrolledRate', requests.enrolledRate, 'rate', 'contact-enrolled-rate'),
    tile('reports.contactInCare', requests.inCare, 'count', 'contact-in-care'),
    tile('reports.contactInCareRate', requests.inCareRate, 'rate', 'contact-in-care-rate'),
  ];
}

/** Steps 1 to 5 ("Étape …"), the share reached in time and the median delays: every role, then by role. */
export function cascadeRows(total: ReportIndicators, t: Translate): ReportTableRow[] {
  const cascade = total.cascade;
  const sets: ReportCascadeCounts[] = [cascade, ...PARENT_ROLES.map((role) => cascade.byRole[role])];
  const row = (label: string, kind: ReportCellKind, pick: (set: ReportCascadeCounts) => ReportCell) => ({
    label,
    cells: sets.map((set) => ({ cell: pick(set), kind })),
  });
  const delays = cascade.medianMinutes;
  return [
    ...REPORT_CASCADE_STEPS.map((step) =>
      row(t(`reports.cascade.step.${step}`), 'count', (set) => set[step]),
    ),
    row(t('reports.cascade.withinDeadline'), 'count', (set) => set.reachedWithinDeadline),
    row(t('reports.cascade.withinDeadlineRate'), 'rate', (set) => set.reachedWithinDeadlineRate),
    ...(Object.keys(delays) as (keyof typeof delays)[]).map((delay) =>
      row(t(`reports.cascade.delay.${delay}`), 'minutes', (set) => set.medianMinutes[delay]),
    ),
  ];
}

export function cascadeColumns(t: Translate): string[] {
  return [t('reports.allRoles'), ...PARENT_ROLES.map((role) => t(parentRoleKey(role)))];
}

function sourceLabel(source: string, name: string | null, t: Translate): string {
  if (source === 'direct') return t('reports.source.direct');
  if (source === 'unknown') return t('reports.source.unknown');
  return name ? `${name} (${source})` : source;
}

/** Every source with self-screenings or contact requests in the period: screenings, positive, requests. */
export function sourceRows(total: ReportIndicators, t: Translate): ReportTableRow[] {
  const { selfScreenings: self, contactRequests: requests } = total;
  const sources = [
    ...self.bySource,
    ...requests.bySource.filter((line) => !self.bySource.some((other) => other.source === line.source)),
  ];
  return sources.map(({ source, name }) => {
    const screenings = self.bySource.find((line) => line.source === source);
    return {
      label: sourceLabel(source, name, t),
      cells: [
        { cell: screenings?.screenings ?? ZERO, kind: 'count' },
        { cell: screenings?.positive ?? ZERO, kind: 'count' },
        { cell: requests.bySource.find((line) => line.source === source)?.requests ?? ZERO, kind: 'count' },
      ],
    };
  });
}

const countRow = (label: string, cell: ReportCell): ReportTableRow => ({
  label,
  cells: [{ cell, kind: 'count' }],
});

/** Self-screenings by role, by score band, and with item 10 positive. */
export function profileRows(total: ReportIndicators, t: Translate): ReportTableRow[] {
  const self = total.selfScreenings;
  return [
    ...PARENT_ROLES.map((role) => countRow(t(parentRoleKey(role)), self.byRole[role])),
    ...EPDS_BANDS.map((band) =>
      countRow(t('reports.bandRow', { band: t(`band.${band}`) }), self.byBand[band]),
    ),
    countRow(t('reports.item10'), self.item10Positive),
  ];
}

/** Contact requests by channel, then by origin. */
export function contactRows(total: ReportIndicators, t: Translate): ReportTableRow[] {
  const requests = total.contactRequests;
  return [
    ...CONTACT_REQUEST_CHANNELS.map((channel) =>
      countRow(
        t('reports.channelRow', { channel: t(`contactChannel.${channel}`) }),
        requests.byChannel[channel],
      ),
    ),
    ...REPORT_CONTACT_ORIGINS.map((origin) =>
      countRow(t(`reports.origin.${origin}`), requests.byOrigin[origin]),
    ),
  ];
}

const WAVE_COLUMNS: TranslationKey[] = [
  'reports.planned',
  'reports.sent',
  'reports.delivered',
  'reports.opened',
  'reports.answered',
  'reports.responseRate',
];

export function waveColumns(t: Translate): string[] {
  return WAVE_COLUMNS.map((key) => t(key));
}

export function waveRows(total: ReportIndicators, t: Translate): ReportTableRow[] {
  return total.invitations.byWave.map((wave) => ({
    label: waveLabel(wave.wave, t),
    cells: [
      { cell: wave.planned, kind: 'count' },
      { cell: wave.sent, kind: 'count' },
      { cell: wave.delivered, kind: 'count' },
      { cell: wave.opened, kind: 'count' },
      { cell: wave.answered, kind: 'count' },
      { cell: wave.responseRate, kind: 'rate' },
    ],
  }));
}
