import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { ReportCell, ReportSummary } from '@lien/shared';
import { makeOrganisation } from '../../testing/factories.js';
import {
  reportAlert,
  reportParent,
  startReportsApi,
  type ReportsApi,
  type ReportUsers,
} from '../../testing/reports-factories.js';
import { REPORT_CSV_HEADER, renderReportCsv } from './report-csv.js';
import { stopTestApi } from '../../testing/api-spec.js';

jest.setTimeout(120_000);

/**
 * Differencing attacks on reports, against a small territory (Nord, 59) with known small counts:
 * - N1: 12 mothers and 3 fathers enrolled in January 2026; 9 alerts (6 high, 3 urgent);
 * - N2: 8 mothers enrolled in February;
 * - N3: 3 mothers enrolled in February (a small organisation);
 * - N1: one more mother enrolled on 10 March 2026 at 11:00 Paris (a one-person day).
 */
type Territory = Awaited<ReturnType<typeof buildTerritory>>;

async function buildTerritory(dataSource: DataSource) {
  const organisation = (name: string, smsSender: string) =>
    makeOrganisation(dataSource, { name, departement: '59', region: 'Hauts-de-France', smsSender });
  const n1 = await organisation('PMI Lille', 'PMILille');
  const n2 = await organisation('PMI Roubaix', 'PMIRoubaix');
  const n3 = await organisation('PMI Tourcoing', 'PMITourc');
  for (let index = 0; index < 15; index += 1) {
    const parent = await reportParent(dataSource, n1, {
      role: index < 12 ? 'mother' : 'father',
      createdAt: new Date(Date.UTC(2026, 0, 5 + index, 10)),
    });
    if (index < 9) {
      await reportAlert(dataSource, parent, {
        severity: index < 6 ? 'high' : 'urgent',
        reasons: ['high_score'],
        createdAt: new Date(Date.UTC(2026, 0, 6 + index, 10)),
      });
    }
  }
  for (let index = 0; index < 8; index += 1)
    await reportParent(dataSource, n2, { createdAt: new Date(Date.UTC(2026, 1, 2 + index, 10)) });
  for (let index = 0; index < 3; index += 1)
    await reportParent(dataSource, n3, { createdAt: new Date(Date.UTC(2026, 1, 3 + index, 10)) });
  await reportParent(dataSource, n1, { createdAt: new Date('2026-03-10T10:00:00Z') });
  return { n1, n2, n3 };
}

/** Every count cell of an indicators object by path (array items by wave). */
function countsByPath(indicators: unknown): Map<string, ReportCell> {
  const cells = new Map<string, ReportCell>();
  const rates = /(Rate|Minutes)$/;
  const walk = (node: unknown, at: string) => {
    if (node === null || typeof node !== 'object') return;
    if ('suppressed' in node && 'value' in node) {
      if (!rates.test(at)) cells.set(at, node as ReportCell);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) walk(item, `${at}[${(item as { wave: string }).wave}]`);
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, at ? `${at}.${key}` : key);
  };
  walk(indicators, '');
  return cells;
}

const isSmall = (value: number) => value >= 1 && value <= 4;

describe('report secrecy against differencing (real Postgres)', () => {
  let { environment, api: app, orgs, tokens, summary } = {} as ReportsApi<Territory>;

  /** Who reads the reports here, by the name `summary` takes. */
  const users: ReportUsers<Territory> = (orgs) => ({
    platform: { role: 'platform_admin' },
    coordinator: { role: 'coordinator', territoryDepartements: ['59'] },
    adminN1: { role: 'org_admin', organisationId: orgs.n1.id },
  });

  beforeAll(async () => {
    ({ environment, api: app, orgs, tokens, summary } = await startReportsApi(buildTerritory, users));
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  describe('a breakdown beside its total', () => {
    it.each(['platform', 'coordinator'])(
      'never lets total − shown parts give back the 3 fathers (%s)',
      async (who) => {
        const report = await summary(who, {
          from: '2026-01-01',
          to: '2026-01-31',
          organisationId: orgs.n1.id,
        });
        const { enrolled, enrolledByRole } = report.total.parents;
        expect(enrolledByRole.father).toMatchObject({ suppressed: true, reason: 'small_count' });
        const shownParts = Object.values(enrolledByRole)
          .filter((cell) => !cell.suppressed)
          .reduce((sum, cell) => sum + cell.value!, 0);
        expect(enrolled.suppressed).toBe(false);
        const derived = enrolled.value! - shownParts;
        expect(derived).not.toBe(3);
        expect(isSmall(derived)).toBe(false);
        // The mothers are hidden as the complement: "s", not "<5".
        expect(enrolledByRole.mother).toEqual({ value: null, suppressed: true, reason: 'complementary' });

        // The same across organisations: N3's 3 parents cannot be had from the total and N1, N2.
        const byOrganisation = await summary(who, {
          from: '2026-01-01',
          to: '2026-02-28',
          groupBy: 'organisation',
        });
        const groups = byOrganisation.groups.map((group) => group.indicators.parents.enrolled);
        expect(
          byOrganisation.groups.find((group) => group.key === orgs.n3.id)!.indicators.parents.enrolled,
        ).toMatchObject({ suppressed: true, reason: 'small_count' });
        const total = byOrganisation.total.parents.enrolled;
        expect(total.suppressed).toBe(false);
        const rest =
          total.value! - groups.filter((cell) => !cell.suppressed).reduce((sum, c) => sum + c.value!, 0);
        expect(rest).not.toBe(3);
        expect(isSmall(rest)).toBe(false);
      },
    );

    it('hides the other severity beside 3 urgent alerts, and keeps the total when nothing is pinned', async () => {
      // 9 alerts = 6 high + 3 urgent. With both hidden, "<5" is 1–4 and "s" is 5 or more: 9 = urgent + high
      // leaves urgent anywhere in 1–4, so the total can stay.
      const report = await summary('platform', {
        from: '2026-01-01',
        to: '2026-01-31',
        organisationId: orgs.n1.id,
      });
      const { created, bySeverity } = report.total.alerts;
      expect(created).toEqual({ value: 9, suppressed: false });
      expect(bySeverity.urgent).toMatchObject({ suppressed: true, reason: 'small_count' });
      expect(bySeverity.high).toMatchObject({ suppressed: true, reason: 'complementary' });
      expect(bySeverity.moderate).toEqual({ value: 0, suppressed: false });
    });
  });

  describe('two periods a day apart', () => {
    it('widens a coordinator’s and an org admin’s period to whole months, so a day makes no difference', async () => {
      for (const who of ['coordinator', 'adminN1']) {
        const before = await summary(who, { from: '2026-01-01', to: '2026-03-09' });
        const after = await summary(who, { from: '2026-01-01', to: '2026-03-10' });
        expect([before.from, before.to, after.from, after.to]).toEqual([
          '2026-01-01',
          '2026-03-31',
          '2026-01-01',
          '2026-03-31',
        ]);
        expect(after).toMatchObject({ periodUnit: 'month', roundingBase: 5 });
        const difference = after.total.parents.enrolled.value! - before.total.parents.enrolled.value!;
        expect(difference).toBe(0);
        const dayAfter = await summary(who, { from: '2026-03-11', to: '2026-03-31' });
        expect([dayAfter.from, dayAfter.to]).toEqual(['2026-03-01', '2026-03-31']);
      }
      // Platform admins keep calendar days (they see the one-person day, as "<5" at worst).
      const platform = await summary('platform', { from: '2026-03-10', to: '2026-03-10' });
      expect([platform.from, platform.to, platform.periodUnit, platform.roundingBase]).toEqual([
        '2026-03-10',
        '2026-03-10',
        'day',
        1,
      ]);
    });

    it('rounds a coordinator’s counts to 5, so that months apart cannot be subtracted either', async () => {
      const feb = await summary('coordinator', { from: '2026-01-01', to: '2026-02-28' });
      const mar = await summary('coordinator', { from: '2026-01-01', to: '2026-03-31' });
      // True counts: 26 then 27 (the mother of 10 March). Published: 25 and 25.
      expect(feb.total.parents.enrolled).toEqual({ value: 25, suppressed: false });
      expect(mar.total.parents.enrolled).toEqual({ value: 25, suppressed: false });
      expect(isSmall(mar.total.parents.enrolled.value! - feb.total.parents.enrolled.value!)).toBe(false);
    });
  });

  it('gives a coordinator no pair of figures whose difference is a count from 1 to 4, over every request they may make', async () => {
    const days = ['2026-01-01', '2026-01-15', '2026-02-01', '2026-03-09', '2026-03-10', '2026-03-31'];
    const filters: Record<string, string>[] = [
      {},
      { territory: '59' },
      { organisationId: orgs.n1.id },
      { organisationId: orgs.n3.id },
    ];
    const responses: { key: string; from: string; to: string; report: ReportSummary }[] = [];
    for (const from of days)
      for (const to of days) {
        if (from > to) continue;
        for (const groupBy of ['', 'organisation', 'month', 'departement'])
          for (const filter of filters) {
            const query: Record<string, string> = { from, to, ...filter };
            if (groupBy) query.groupBy = groupBy;
            responses.push({
              key: `${groupBy}|${JSON.stringify(filter)}`,
              from,
              to,
              report: await summary('coordinator', query),
            });
          }
      }
    expect(responses.length).toBe(21 * 4 * 4);

    const leaks: string[] = [];
    for (const { from, to, report } of responses) {
      const total = countsByPath(report.total);
      const groups = report.groups.map((group) => countsByPath(group.indicators));
      for (const [path, cell] of total) {
        if (cell.suppressed || groups.length === 0) continue;
        // (total, sum of the shown groups)
        const rest =
          cell.value! -
          groups.reduce((sum, g) => sum + (g.get(path)?.suppressed ? 0 : (g.get(path)?.value ?? 0)), 0);
        if (isSmall(rest)) leaks.push(`${from}..${to} ${path}: total − shown groups = ${rest}`);
      }
      // (enrolled, its roles) inside one table
      const { enrolled, enrolledByRole } = report.total.parents;
      if (!enrolled.suppressed) {
        const rest = enrolled.value! - Object.values(enrolledByRole).reduce((s, c) => s + (c.value ?? 0), 0);
        if (isSmall(rest)) leaks.push(`${from}..${to} enrolled − shown roles = ${rest}`);
      }
    }
    // (period A, period A + a day), and in fact any two requests with the same filters.
    const byKey = new Map<string, typeof responses>();
    for (const response of responses) byKey.set(response.key, [...(byKey.get(response.key) ?? []), response]);
    for (const same of byKey.values())
      for (const a of same)
        for (const b of same) {
          const cellsA = countsByPath(a.report.total);
          for (const [path, cellB] of countsByPath(b.report.total)) {
            const cellA = cellsA.get(path);
            if (!cellA || cellA.suppressed || cellB.suppressed) continue;
            const difference = cellB.value! - cellA.value!;
            if (isSmall(difference))
              leaks.push(`${a.from}..${a.to} vs ${b.from}..${b.to} ${path}: difference ${difference}`);
          }
        }
    // And more broadly: no two figures shown anywhere, in any of these answers, are 1 to 4 apart.
    const values = new Set<number>();
    for (const { report } of responses)
      for (const indicators of [report.total, ...report.groups.map((group) => group.indicators)])
        for (const cell of countsByPath(indicators).values()) if (!cell.suppressed) values.add(cell.value!);
    for (const a of values)
      for (const b of values) if (isSmall(a - b)) leaks.push(`shown figures ${a} and ${b}`);
    expect(values.size).toBeGreaterThan(3);
    expect(leaks).toEqual([]);
  });

  it('sends the CSV with the very figures of the summary, and never "<5" for a rate or a duration', async () => {
    const query = { from: '2026-01-01', to: '2026-02-28', groupBy: 'organisation' };
    const report = await summary('coordinator', query);
    const csv = await request(app.getHttpServer())
      .get('/api/reports/export.csv')
      .query(query)
      .auth(tokens.coordinator!, { type: 'bearer' })
      .expect(200);
    expect(csv.text).toBe(renderReportCsv(report).text);
    // Fields are quoted when they hold a comma (French indicator names do).
    const fields = (line: string): string[] => {
      const out: string[] = [];
      let field = '';
      let quoted = false;
      for (let index = 0; index < line.length; index += 1) {
        const char = line[index]!;
        if (quoted && char === '"' && line[index + 1] === '"') {
          field += '"';
          index += 1;
        } else if (char === '"') quoted = !quoted;
        else if (char === ',' && !quoted) {
          out.push(field);
          field = '';
        } else field += char;
      }
      return [...out, field];
    };
    const rows = csv.text.slice(1).trim().split('\r\n').map(fields);
    // The header's French wording is pinned in reports.spec.ts; here the rows are read against it.
    expect(rows[0]).toEqual(REPORT_CSV_HEADER);
    const n3 = rows.find(
      (row) => row[2] === orgs.n3.id && row[4] === 'parents_enrolled' && row[6] === 'role=all',
    );
    expect(n3?.slice(8)).toEqual(['', '<5', 'effectif de 1 à 4']);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(11);
      // "<5" is a count's mark only; a hidden figure has no value but a mark and a reason.
      if (row[7] !== 'effectif') expect(row[9]).not.toBe('<5');
      expect(row[9] !== '').toBe(row[10] !== '');
      if (row[9] !== '') expect(row[8]).toBe('');
      if (row[9] === '' && row[7] === 'effectif' && row[8] !== '') expect(Number(row[8]) % 5).toBe(0);
    }
  });
});
