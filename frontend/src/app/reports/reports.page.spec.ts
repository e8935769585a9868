import type { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { ReportCascadeCounts, ReportCell, ReportIndicators, ReportSummary } from '@lien/shared';
import { configurePageTestBed, openPage } from '../ui/page-test-bed';
import { ReportsPage } from './reports.page';

const shown = (value: number): ReportCell => ({ value, suppressed: false });
const small: ReportCell = { value: null, suppressed: true, reason: 'small_count' };
const smallSample: ReportCell = { value: null, suppressed: true, reason: 'small_sample' };
const hiddenRate: ReportCell = { value: null, suppressed: true, reason: 'count_suppressed' };

/** Every figure of one object at 10 (counts), 0.5 (rates) or 60 minutes, unless given. */
function cells<K extends string>(keys: readonly K[], value: ReportCell = shown(10)): Record<K, ReportCell> {
  return Object.fromEntries(keys.map((key) => [key, value])) as Record<K, ReportCell>;
}

function cascade(overrides: Partial<ReportCascadeCounts> = {}): ReportCascadeCounts {
  return {
    ...cells(['screened', 'positive', 'reached', 'referred', 'inCare', 'reachedWithinDeadline']),
    reachedWithinDeadlineRate: shown(0.5),
    medianMinutes: {
      positiveToReached: shown(90),
      reachedToReferred: shown(1440),
      referredToInCare: shown(2880),
    },
    ...overrides,
  };
}

function indicators(): ReportIndicators {
  const bands = {
    ...cells(['responses', 'low', 'moderate', 'high', 'item10Positive', 'anxiety', 'positive']),
    positiveRate: shown(0.5),
  };
  const sms = {
    ...cells(['planned', 'accepted', 'delivered', 'undelivered', 'failed', 'segments']),
    deliveryRate: shown(0.9),
  };
  const wave = {
    wave: 'day7',
    ...cells(['planned', 'sent', 'delivered', 'opened', 'answered', 'expired', 'cancelled']),
    responseRate: shown(0.5),
  };
  return {
    parents: {
      ...cells(['enrolled', 'optedOut', 'withdrawn', 'births', 'bothParentsScreened']),
      enrolledByRole: cells(['mother', 'father', 'co_parent']),
      bothParentsScreenedRate: shown(0.4),
    },
    invitations: { all: { ...wave, wave: 'all' }, byWave: [wave] },
    responses: { all: bands, byRole: { mother: bands, father: bands, co_parent: bands }, byWave: [] },
    alerts: {
      ...cells([
        'created',
        'positive',
        'positiveReached',
        'reached',
        'referred',
        'inCare',
        'positiveInCare',
        'closed',
      ]),
      bySeverity: cells(['urgent', 'high', 'moderate', 'low']),
      closedByOutcome: cells(['in_care', 'declined', 'false_alarm', 'moved', 'unreachable']),
      positiveReachedRate: shown(0.8),
      timeToFirstContact: { alerts: shown(10), medianMinutes: shown(95), p90Minutes: shown(300) },
    },
    sms: { ...sms, byKind: { invitation: sms, reminder: sms } },
    funnel: cells(['enrolled', 'answered', 'positive', 'reached', 'inCare']),
    selfScreenings: {
      screenings: shown(20),
      bySource: [
        { source: 'caf-arras', name: 'CAF d’Arras', screenings: shown(15), positive: shown(10) },
        { source: 'direct', name: null, screenings: shown(5), positive: small },
      ],
      byRole: { mother: shown(15), father: shown(5), co_parent: shown(0) },
      byBand: { low: shown(5), moderate: shown(5), high: shown(10) },
      item10Positive: small,
      positive: shown(15),
      positiveRate: hiddenRate,
    },
    contactRequests: {
      requests: shown(15),
      byChannel: { call: shown(10), sms: shown(5), email: shown(0) },
      byOrigin: { self_screening: shown(10), invited: shown(5) },
      bySource: [{ source: 'caf-arras', name: 'CAF d’Arras', requests: shown(5) }],
      reached: shown(10),
      medianMinutesToFirstContact: shown(330),
      enrolled: shown(5),
      inCare: small,
      enrolledRate: shown(0.3333),
      inCareRate: hiddenRate,
    },
    cascade: {
      ...cascade(),
      byRole: {
        mother: cascade(),
        father: cascade({
          screened: small,
          positive: small,
          reachedWithinDeadlineRate: hiddenRate,
          medianMinutes: {
            positiveToReached: smallSample,
            reachedToReferred: smallSample,
            referredToInCare: smallSample,
          },
        }),
        co_parent: cascade({
          medianMinutes: {
            positiveToReached: shown(45),
            reachedToReferred: shown(300),
            referredToInCare: { value: null, suppressed: false },
          },
        }),
      },
    },
  };
}

function report(): ReportSummary {
  return {
    from: '2026-01-01',
    to: '2026-03-31',
    groupBy: 'month',
    territory: ['62'],
    organisationId: null,
    organisations: 2,
    suppressionThreshold: 5,
    roundingBase: 5,
    periodUnit: 'month',
    generatedAt: '2026-04-01T08:00:00Z',
    total: indicators(),
    groups: [],
  };
}

/** The text of a table's body, row by row, cells trimmed (visually hidden reasons included). */
function rowsOf(element: HTMLElement, testId: string): string[][] {
  const table = element.querySelector(`[data-testid="${testId}"]`);
  if (!table) throw new Error(`no ${testId}`);
  return [...table.querySelectorAll('tbody tr')].map((row) =>
    [...row.children].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()),
  );
}

/** What a figure shows (its mark or value), without the reason read out after it. */
function shownText(cell: Element | null | undefined): string {
  const figure = cell?.querySelector('lien-report-figure');
  const mark = figure?.querySelector('abbr');
  return ((mark ?? figure)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('ReportsPage (a coordinator of the Pas-de-Calais)', () => {
  let fixture: ComponentFixture<ReportsPage>;
  let element: HTMLElement;
  let backend: HttpTestingController;
  let summaryParams: URLSearchParams;

  beforeEach(async () => {
    configurePageTestBed(['reports.read', 'reports.export'], {
      me: { role: 'coordinator', territory: { departements: ['62'], region: null } },
    });
    ({ fixture, element, backend } = openPage(ReportsPage));
    backend.expectOne('/api/organisations').flush([]);
    const request = backend.expectOne((candidate) => candidate.url === '/api/reports/summary');
    summaryParams = new URLSearchParams(request.request.params.toString());
    request.flush(report());
    await fixture.whenStable();
    fixture.detectChanges();
  });

  afterEach(() => backend.verify());

  it('opens on the coordinator’s own territory, selected in the filter, so figures show at once', () => {
    expect(summaryParams.get('territory')).toBe('62');
    expect(element.querySelector('[data-testid="reports-territory"]')?.textContent).toContain(
      'Département 62',
    );
    expect(shownText(element.querySelector('[data-testid="tile-self-screenings"]'))).toBe('20');
  });

  it('shows the care cascade as "Étape" rows by role, durations with their units, and "<5" only on counts', () => {
    const rows = rowsOf(element, 'report-cascade');
    expect(rows.map((row) => row[0])).toEqual([
      'Étape 1 : dépistés',
      'Étape 2 : positifs',
      'Étape 3 : joints (premier contact)',
      'Étape 4 : orientés',
      'Étape 5 : pris en charge',
      'Joints dans le délai',
      'Part des positifs joints dans le délai',
      'Délai médian de l’étape 2 à l’étape 3',
      'Délai médian de l’étape 3 à l’étape 4',
      'Délai médian de l’étape 4 à l’étape 5',
    ]);
    const table = element.querySelector('[data-testid="report-cascade"]')!;
    const figures = [...table.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => shownText(cell)),
    );
    // Columns: every parent, mothers, fathers, co-parents.
    expect(figures[0]).toEqual(['10', '10', '<5', '10']);
    expect(figures[7]).toEqual(['1 h 30 min', '1 h 30 min', 's', '45 min']);
    expect(figures[8]).toEqual(['1 j', '1 j', 's', '5 h']);
    expect(figures[9]).toEqual(['2 j', '2 j', 's', '—']);
    expect(figures[6]?.[2]).toBe('s');
    // A hidden duration or rate says why, and never reads "<5".
    for (const row of figures.slice(6)) expect(row).not.toContain('<5');
    expect(rows[7]?.[3]).toContain('Durée non calculée : moins de 5 personnes');
    expect(rows[6]?.[3]).toContain('Taux non calculé : un de ses effectifs est masqué');
    expect(rows[0]?.[3]).toContain('Effectif de 1 à 4, masqué');
  });

  it('shows self-screenings and contact requests by source, role, band, channel and origin', () => {
    expect(
      rowsOf(element, 'report-sources').map((row) =>
        row.map((text) => text.replace(/Effectif.*$/, '').trim()),
      ),
    ).toEqual([
      ['CAF d’Arras (caf-arras)', '15', '10', '5'],
      ['Accès direct (sans code)', '5', '<5', '0'],
    ]);
    const profiles = rowsOf(element, 'report-screening-profiles');
    expect(profiles.map((row) => row[0])).toEqual([
      'Mère',
      'Père',
      'Coparent',
      'Score faible',
      'Score modéré',
      'Score élevé',
      'Item 10 positif',
    ]);
    const contact = rowsOf(element, 'report-contact-breakdown');
    expect(contact.map((row) => [row[0], row[1]])).toEqual([
      ['Canal : appel téléphonique', '10'],
      ['Canal : SMS', '5'],
      ['Canal : courriel', '0'],
      ['Depuis l’autodépistage', '10'],
      ['Depuis un questionnaire reçu par SMS', '5'],
    ]);
    const tile = (id: string) => shownText(element.querySelector(`[data-testid="tile-${id}"]`));
    expect(tile('contact-requests')).toBe('15');
    expect(tile('contact-median')).toBe('5 h 30 min');
    expect(tile('contact-in-care')).toBe('<5');
    expect(tile('contact-in-care-rate')).toBe('s');
    expect(tile('self-screening-positive-rate')).toBe('s');
    expect(
      element.querySelector('[data-testid="tile-contact-in-care-rate"] abbr')?.getAttribute('title'),
    ).toBe('Taux non calculé : un de ses effectifs est masqué');
  });
});
