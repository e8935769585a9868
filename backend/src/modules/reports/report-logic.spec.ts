import { rateOfCells, type ReportCell } from '@lien/shared';
import { DomainError } from '../../common/errors.js';
import { csvField } from './report-csv.js';
import { DisclosureSheet, disclosurePolicy, type DisclosurePolicy } from './report-disclosure.js';
import { compareWaves } from './report-indicators.js';
import { careCascade, NO_MEDIAN, selfScreeningIndicators } from './report-screening.js';
import { monthsOf, parseReportQuery, splitPeriod } from './report-query.js';
import { resolveReportScope } from './report-scope.js';
import type { ReportOrganisation } from './reports.repository.js';

const NOW = new Date('2026-03-02T08:00:00Z');

function fieldOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError && Array.isArray(error.details)) return error.details[0]?.field;
    throw error;
  }
  return undefined;
}

describe('report periods', () => {
  it('defaults to the 12 calendar months ending today in Paris', () => {
    expect(parseReportQuery({}, NOW)).toEqual({
      from: '2025-04-01',
      to: '2026-03-02',
      territory: [],
      organisationId: null,
      groupBy: null,
    });
    // 23:30 UTC on 31 March is already 1 April in Paris.
    expect(parseReportQuery({}, new Date('2026-03-31T23:30:00Z')).to).toBe('2026-04-01');
  });

  it('names the field of every bad value', () => {
    expect(fieldOf(() => parseReportQuery({ from: '2026-02-29' }, NOW))).toBe('from');
    expect(fieldOf(() => parseReportQuery({ to: '2026-3-1' }, NOW))).toBe('to');
    expect(fieldOf(() => parseReportQuery({ from: '2026-03-02', to: '2026-03-01' }, NOW))).toBe('from');
    expect(fieldOf(() => parseReportQuery({ from: '2021-03-01', to: '2026-03-02' }, NOW))).toBe('to');
    expect(fieldOf(() => parseReportQuery({ from: '2021-03-02', to: '2026-03-02' }, NOW))).toBeUndefined();
    expect(fieldOf(() => parseReportQuery({ territory: '62,7' }, NOW))).toBe('territory');
    expect(fieldOf(() => parseReportQuery({ organisationId: '123' }, NOW))).toBe('organisationId');
    expect(fieldOf(() => parseReportQuery({ groupBy: 'year' as never }, NOW))).toBe('groupBy');
  });

  it('normalises the territory and drops duplicates', () => {
    expect(parseReportQuery({ territory: ' 62, 2b ,62,region:corse' }, NOW).territory).toEqual([
      { kind: 'departement', code: '62' },
      { kind: 'departement', code: '2B' },
      { kind: 'region', name: 'Corse' },
    ]);
  });

  it('reads whole months from the monthly rollups and the edges from the daily ones', () => {
    expect(splitPeriod('2025-04-01', '2026-03-31')).toEqual({
      from: '2025-04-01',
      to: '2026-03-31',
      monthsFrom: '2025-04-01',
      monthsTo: '2026-04-01',
    });
    expect(splitPeriod('2025-03-15', '2026-03-14')).toEqual({
      from: '2025-03-15',
      to: '2026-03-14',
      monthsFrom: '2025-04-01',
      monthsTo: '2026-03-01',
    });
    // No whole month inside: everything from the daily rollups.
    expect(splitPeriod('2026-01-10', '2026-02-20')).toEqual({
      from: '2026-01-10',
      to: '2026-02-20',
      monthsFrom: '2026-02-21',
      monthsTo: '2026-02-21',
    });
    expect(splitPeriod('2026-02-01', '2026-02-27').monthsFrom).toBe(
      splitPeriod('2026-02-01', '2026-02-27').monthsTo,
    );
    expect(splitPeriod('2026-02-01', '2026-02-28')).toMatchObject({
      monthsFrom: '2026-02-01',
      monthsTo: '2026-03-01',
    });
    expect(monthsOf('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('orders waves by day, ad hoc after', () => {
    expect(['adhoc', 'day42', 'other', 'day7'].sort(compareWaves)).toEqual([
      'day7',
      'day42',
      'adhoc',
      'other',
    ]);
  });
});

describe('report scope', () => {
  const organisations: ReportOrganisation[] = [
    { id: 'a', name: 'A', departement: '62', region: 'Hauts-de-France' },
    { id: 'b', name: 'B', departement: '59', region: 'Hauts-de-France' },
    { id: 'c', name: 'C', departement: '57', region: 'Grand Est' },
  ];
  const filter = (query: Parameters<typeof parseReportQuery>[0] = {}) => parseReportQuery(query, NOW);
  const ids = (scope: { organisations: ReportOrganisation[] }) => scope.organisations.map((o) => o.id);
  const refusal = (work: () => unknown): string | undefined => {
    try {
      work();
    } catch (error) {
      if (error instanceof DomainError) return `${error.kind}:${error.code}`;
      throw error;
    }
    return undefined;
  };

  it('gives platform admins everything, narrowed by the filters', () => {
    expect(resolveReportScope({ kind: 'platform' }, filter(), organisations)).toEqual({
      organisations,
      everything: true,
    });
    expect(
      ids(
        resolveReportScope(
          { kind: 'platform' },
          filter({ territory: 'region:Hauts-de-France' }),
          organisations,
        ),
      ),
    ).toEqual(['a', 'b']);
    expect(
      resolveReportScope({ kind: 'platform' }, filter({ territory: '57' }), organisations).everything,
    ).toBe(false);
  });

  it('keeps coordinators inside their départements or region', () => {
    const of62 = { kind: 'territory' as const, departements: ['62'], region: null };
    expect(ids(resolveReportScope(of62, filter(), organisations))).toEqual(['a']);
    expect(refusal(() => resolveReportScope(of62, filter({ territory: '59' }), organisations))).toBe(
      'forbidden:territory_out_of_scope',
    );
    expect(
      refusal(() => resolveReportScope(of62, filter({ territory: 'region:Hauts-de-France' }), organisations)),
    ).toBe('forbidden:territory_out_of_scope');
    const hdf = { kind: 'territory' as const, departements: [], region: 'Hauts-de-France' };
    expect(ids(resolveReportScope(hdf, filter(), organisations))).toEqual(['a', 'b']);
    expect(ids(resolveReportScope(hdf, filter({ territory: '59' }), organisations))).toEqual(['b']);
    expect(
      refusal(() =>
        resolveReportScope(
          hdf,
          filter({ organisationId: '00000000-0000-4000-8000-00000000000c' }),
          organisations,
        ),
      ),
    ).toBe('not_found:not_found');
    // A region is covered by départements when all of them are listed.
    const allOfCorse = { kind: 'territory' as const, departements: ['2A', '2B'], region: null };
    expect(
      resolveReportScope(allOfCorse, filter({ territory: 'region:Corse' }), organisations).organisations,
    ).toEqual([]);
    expect(
      refusal(() =>
        resolveReportScope({ kind: 'territory', departements: [], region: null }, filter(), organisations),
      ),
    ).toBe('forbidden:no_territory');
  });

  it('keeps org admins in their organisation', () => {
    const own = { kind: 'organisation' as const, organisationId: 'b' };
    expect(ids(resolveReportScope(own, filter(), organisations))).toEqual(['b']);
    expect(
      ids(resolveReportScope(own, filter({ territory: 'region:Hauts-de-France' }), organisations)),
    ).toEqual(['b']);
    expect(refusal(() => resolveReportScope(own, filter({ territory: '62' }), organisations))).toBe(
      'forbidden:territory_out_of_scope',
    );
  });
});

describe('CSV fields', () => {
  it('quotes separators, quotes and line breaks, and neutralises formulas', () => {
    expect(csvField('PMI Arras', ',')).toBe('PMI Arras');
    expect(csvField('Arras; Lens', ';')).toBe('"Arras; Lens"');
    expect(csvField('Arras; Lens', ',')).toBe('Arras; Lens');
    expect(csvField('Le "Phare"', ',')).toBe('"Le ""Phare"""');
    expect(csvField('two\nlines', ',')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")', ',')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+33', ';')).toBe("'+33");
    expect(csvField('@SUM(A1)', ';')).toBe("'@SUM(A1)");
  });
});

describe('report periods by disclosure policy', () => {
  it.each([
    [{ from: '2026-01-15', to: '2026-03-10' }, 'month', { from: '2026-01-01', to: '2026-03-31' }],
    // A day apart, the same period.
    [{ from: '2026-01-16', to: '2026-03-09' }, 'month', { from: '2026-01-01', to: '2026-03-31' }],
    [{}, 'month', { from: '2025-04-01', to: '2026-03-31' }],
    [{ from: '2024-02-29', to: '2024-02-29' }, 'month', { from: '2024-02-01', to: '2024-02-29' }],
    [{ from: '2026-01-15', to: '2026-03-10' }, 'day', { from: '2026-01-15', to: '2026-03-10' }],
  ] as const)('reads the period %j by %s as %j', (query, unit, period) => {
    expect(parseReportQuery(query, NOW, unit)).toMatchObject(period);
  });

  it('widens the period to whole calendar months for callers other than platform admins', () => {
    expect(disclosurePolicy({ kind: 'platform' })).toEqual({ periodUnit: 'day', roundingBase: 1 });
    expect(disclosurePolicy({ kind: 'territory', departements: ['62'], region: null })).toEqual({
      periodUnit: 'month',
      roundingBase: 5,
    });
    expect(disclosurePolicy({ kind: 'organisation', organisationId: 'x' })).toEqual({
      periodUnit: 'month',
      roundingBase: 5,
    });
  });
});

describe('complementary suppression', () => {
  const EXACT = { periodUnit: 'day', roundingBase: 1 } as const;
  /** A total and its parts, protected; returns what a caller reads. */
  function table(total: number, parts: number[], policy: DisclosurePolicy = EXACT) {
    const sheet = new DisclosureSheet();
    const totalCell = sheet.count(total);
    const partCells = parts.map((part) => sheet.count(part));
    sheet.table(totalCell, partCells);
    sheet.protect(policy);
    const read = (cell: ReportCell) => (cell.suppressed ? (cell.reason ?? '?') : cell.value);
    return { total: read(totalCell), parts: partCells.map(read) };
  }

  it('hides the smallest other part beside a small one, so that total − shown is not the small count', () => {
    expect(table(23, [3, 12, 8])).toEqual({ total: 23, parts: ['small_count', 12, 'complementary'] });
    expect(table(23, [3, 20, 0])).toEqual({ total: 23, parts: ['small_count', 'complementary', 0] });
    expect(table(20, [0, 20])).toEqual({ total: 20, parts: [0, 20] });
  });

  it('hides the total when the hidden cells would be pinned by their bounds or add up to a small count', () => {
    // "<5" is 1–4 and "s" is 5 or more: 6 = 1 + 5 and 8 = 4 + 4 leave no choice.
    expect(table(6, [1, 5])).toEqual({ total: 'complementary', parts: ['small_count', 'complementary'] });
    expect(table(8, [4, 4])).toEqual({ total: 'complementary', parts: ['small_count', 'small_count'] });
    // 1 + 2 hidden beside 10 shown: total − shown = 3 would be a small count of two groups together.
    expect(table(13, [1, 2, 10])).toEqual({
      total: 13,
      parts: ['small_count', 'small_count', 'complementary'],
    });
    // Three small parts adding up to 9: none is pinned, the total stays.
    expect(table(9, [2, 3, 4])).toEqual({ total: 9, parts: ['small_count', 'small_count', 'small_count'] });
  });

  it('carries a hidden cell through every table it belongs to (rows and columns of a two-way table)', () => {
    // Rows a, b; columns x, y. a·x = 3 is small; a·y must go, then b·y (column y), then b·x (row b)…
    const sheet = new DisclosureSheet();
    const cells = { ax: sheet.count(3), ay: sheet.count(10), bx: sheet.count(7), by: sheet.count(20) };
    const rowA = sheet.count(13);
    const rowB = sheet.count(27);
    const colX = sheet.count(10);
    const colY = sheet.count(30);
    const all = sheet.count(40);
    sheet.table(rowA, [cells.ax, cells.ay]);
    sheet.table(rowB, [cells.bx, cells.by]);
    sheet.table(colX, [cells.ax, cells.bx]);
    sheet.table(colY, [cells.ay, cells.by]);
    sheet.table(all, [rowA, rowB]);
    sheet.table(all, [colX, colY]);
    sheet.protect(EXACT);
    const shownValue = (cell: ReportCell) => (cell.suppressed ? null : cell.value);
    // No row or column gives a·x back by subtraction.
    for (const [total, other] of [
      [rowA, cells.ay],
      [colX, cells.bx],
    ] as const) {
      const t = shownValue(total);
      const o = shownValue(other);
      if (t !== null && o !== null) expect(t - o).not.toBe(3);
    }
    expect(Object.values(cells).filter((cell) => cell.suppressed).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps a value computed from a hidden count hidden, and computes rates from the published counts', () => {
    const sheet = new DisclosureSheet();
    const accepted = sheet.count(3);
    const segments = sheet.count(6);
    sheet.follows(segments, accepted);
    const answered = sheet.count(7);
    const sent = sheet.count(8);
    const rate: ReportCell = { value: null, suppressed: false };
    sheet.derive(() => Object.assign(rate, rateOfCells(answered, [sent])));
    sheet.protect({ periodUnit: 'month', roundingBase: 5 });
    expect(segments).toEqual({ value: null, suppressed: true, reason: 'complementary' });
    // 7 and 8 read 5 and 10, and the rate is theirs (50 %), not 7/8 which would give the counts back.
    expect([answered.value, sent.value, rate.value]).toEqual([5, 10, 0.5]);
  });
});

describe('self-screening and care cascade secrecy', () => {
  const EXACT = { periodUnit: 'day', roundingBase: 1 } as const;
  const read = (cell: ReportCell) => (cell.suppressed ? (cell.reason ?? '?') : cell.value);
  const median = (sample: number, minutes: number) => ({ sample, medianSeconds: minutes * 60 });
  const step = (screened: number, positive: number, reached: number) => ({
    screened,
    positive,
    reached,
    referred: 0,
    inCare: 0,
    withinDeadline: reached,
    positiveToReached: median(reached, 90),
    reachedToReferred: NO_MEDIAN,
    referredToInCare: NO_MEDIAN,
  });

  it('never lets every parent − mothers give back 4 fathers, and hides a delay over 1 to 4 fathers as a small sample', () => {
    const sheet = new DisclosureSheet();
    const cascade = careCascade(sheet, {
      all: step(24, 14, 9),
      mother: step(20, 10, 5),
      father: step(4, 4, 4),
    });
    sheet.protect(EXACT);
    expect(read(cascade.screened)).toBe(24);
    expect(read(cascade.byRole.father.screened)).toBe('small_count');
    expect(read(cascade.byRole.mother.screened)).toBe('complementary');
    expect(read(cascade.byRole.mother.reached)).toBe('complementary');
    expect(read(cascade.medianMinutes.positiveToReached)).toBe(90);
    expect(read(cascade.byRole.mother.medianMinutes.positiveToReached)).toBe(90);
    expect(read(cascade.byRole.father.medianMinutes.positiveToReached)).toBe('small_sample');
    expect(read(cascade.byRole.father.reachedWithinDeadlineRate)).toBe('count_suppressed');
  });

  it('hides a source with 1 to 4 screenings, and another beside it, so the total gives neither back', () => {
    const sheet = new DisclosureSheet();
    const fact = (source: string, count: number) => ({
      source,
      name: null,
      role: 'mother' as const,
      band: 'low' as const,
      item10Positive: false,
      count,
    });
    const self = selfScreeningIndicators(sheet, [fact('caf', 12), fact('direct', 8), fact('pmi', 3)]);
    sheet.protect(EXACT);
    expect(read(self.screenings)).toBe(23);
    expect(self.bySource.map((line) => [line.source, read(line.screenings)])).toEqual([
      ['caf', 12],
      ['pmi', 'small_count'],
      ['direct', 'complementary'],
    ]);
  });
});
