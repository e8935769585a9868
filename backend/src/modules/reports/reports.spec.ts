import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { ParentRole } from '@lien/shared';
import { auditEventOf, makeOrganisation } from '../../testing/factories.js';
import {
  makeArrasAndMetz,
  minutesAfter,
  reportAlert,
  reportInvitation,
  reportParent,
  reportResponse,
  reportSms,
  startReportsApi,
  type ReportsApi,
  type ReportUsers,
} from '../../testing/reports-factories.js';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import { stopTestApi } from '../../testing/api-spec.js';

const PERIOD = { from: '2026-01-01', to: '2026-03-31' };
/** A count from 1 to 4. */
const hidden = { value: null, suppressed: true, reason: 'small_count' };
/** A count hidden so that a small one beside it cannot be worked out by subtraction. */
const secondary = { value: null, suppressed: true, reason: 'complementary' };
/** A rate over a hidden count. */
const hiddenRate = { value: null, suppressed: true, reason: 'count_suppressed' };
const shown = (value: number) => ({ value, suppressed: false });

/**
 * A hand-built territory with known answers (period Q1 2026, Europe/Paris):
 * - A (62): 20 parents (12 mothers, 6 fathers, 2 co-parents), one opted out; day7 invitations to all 20
 *   (18 sent, 12 opened, 10 answered, 3 expired, 2 cancelled) and day42 ones to 8 (planned); SMS: 15 delivered,
 *   2 undelivered, 1 failed invitations plus 6 delivered reminders of 2 segments; 10 responses (7 mothers,
 *   3 fathers: 4 high, 2 moderate, 4 low, 2 item-10 positive, 7 positive); 8 alerts (7 positive), 6 reached
 *   after 30, 60, 90, 120, 240 and 600 minutes, 4 referred, 3 in care, 2 closed.
 * - A2 (62, a name that looks like a spreadsheet formula): 5 fathers, 3 alerts reached after 30, 40, 50 min.
 * - B (57): 7 mothers, 7 answered invitations, 5 alerts reached after 60 minutes.
 * Plus two parents on the period's edges, in local time: one counted (1 January 00:30), one not (1 April 00:30).
 */
type Territory = Awaited<ReturnType<typeof buildTerritory>>;

async function buildTerritory(dataSource: DataSource) {
  const { arras: a, metz: b } = await makeArrasAndMetz(dataSource);
  const a2 = await makeOrganisation(dataSource, {
    name: '=Maternité "Sud"; Arras',
    departement: '62',
    region: 'Hauts-de-France',
    smsSender: 'MatSud',
    kind: 'maternity',
  });

  const roles: ParentRole[] = [
    ...([
      'mother',
      'mother',
      'mother',
      'mother',
      'mother',
      'father',
      'father',
      'father',
      'mother',
      'mother',
    ] as const),
    ...([
      'father',
      'father',
      'father',
      'mother',
      'mother',
      'mother',
      'mother',
      'mother',
      'co_parent',
      'co_parent',
    ] as const),
  ];
  const parents: ParentEntity[] = [];
  for (const [index, role] of roles.entries()) {
    const createdAt =
      index === 0 ? new Date('2025-12-31T23:30:00Z') : new Date(Date.UTC(2026, 0, 5 + index, 10));
    parents.push(
      await reportParent(dataSource, a, {
        role,
        createdAt,
        ...(index === 16
          ? { status: 'opted_out' as const, statusChangedAt: new Date('2026-02-10T10:00:00Z') }
          : {}),
      }),
    );
  }
  await reportParent(dataSource, a, { role: 'mother', createdAt: new Date('2026-03-31T22:30:00Z') });

  const day7Due = new Date('2026-01-26T09:00:00Z');
  for (const [index, parent] of parents.entries()) {
    const status =
      index < 10
        ? 'completed'
        : index < 12
          ? 'opened'
          : index < 15
            ? 'expired'
            : index < 18
              ? 'sent'
              : ('cancelled' as const);
    const sent = index < 18;
    const invitation = await reportInvitation(dataSource, parent, {
      wave: 'day7',
      dueAt: day7Due,
      status,
      sentAt: sent ? day7Due : null,
      openedAt: index < 12 ? minutesAfter(day7Due, 60) : null,
      completedAt: index < 10 ? minutesAfter(day7Due, 90) : null,
    });
    if (sent) {
      const smsStatus = index < 15 ? 'delivered' : index < 17 ? 'undelivered' : 'failed';
      await reportSms(dataSource, invitation, {
        status: smsStatus,
        segments: smsStatus === 'failed' ? null : 1,
      });
    }
    if (index >= 10 && index < 16) {
      await reportSms(dataSource, invitation, {
        kind: 'reminder',
        dueAt: minutesAfter(day7Due, 48 * 60),
        status: 'delivered',
        segments: 2,
      });
    }
    if (index < 10) {
      const bands = [
        'high',
        'high',
        'high',
        'high',
        'moderate',
        'moderate',
        'low',
        'low',
        'low',
        'low',
      ] as const;
      await reportResponse(dataSource, invitation, {
        band: bands[index],
        item10Positive: index === 0 || index === 6,
        anxietyFlag: index === 0 || index === 4,
        parentRole: parent.role,
        createdAt: new Date('2026-01-27T10:00:00Z'),
      });
    }
    if (index < 8) {
      await reportInvitation(dataSource, parent, {
        wave: 'day42',
        dueAt: new Date('2026-02-20T09:00:00Z'),
        status: 'planned',
      });
    }
  }

  const alertAt = new Date('2026-01-27T12:00:00Z');
  const severities = ['urgent', 'high', 'high', 'high', 'moderate', 'moderate', 'urgent'] as const;
  const contactMinutes = [30, 60, 90, 120, 240, 600];
  for (const [index, severity] of severities.entries()) {
    const closed = index === 0 || index === 4;
    await reportAlert(dataSource, parents[index]!, {
      severity,
      reasons:
        index === 0 || index === 6
          ? ['item10']
          : severity === 'high'
            ? ['high_score']
            : ['moderate_score', 'anxiety'],
      createdAt: alertAt,
      status: closed
        ? 'closed'
        : index === 1 || index === 2
          ? 'in_care'
          : index === 3
            ? 'referred'
            : index === 5
              ? 'contacted'
              : 'open',
      firstContactAt: index < 6 ? minutesAfter(alertAt, contactMinutes[index]!) : null,
      referredAt: index < 4 ? minutesAfter(alertAt, 1000) : null,
      inCareAt: index < 3 ? minutesAfter(alertAt, 2000) : null,
      closedAt: closed ? minutesAfter(alertAt, 3000) : null,
      outcome: index === 0 ? 'in_care' : index === 4 ? 'declined' : null,
    });
  }
  await reportAlert(dataSource, parents[15]!, {
    severity: 'low',
    reasons: ['no_response'],
    createdAt: new Date('2026-02-05T08:00:00Z'),
  });

  for (let index = 0; index < 5; index += 1) {
    const parent = await reportParent(dataSource, a2, {
      role: 'father',
      createdAt: new Date('2026-02-03T10:00:00Z'),
    });
    if (index < 3) {
      const at = new Date('2026-02-05T10:00:00Z');
      await reportAlert(dataSource, parent, {
        severity: 'high',
        createdAt: at,
        status: 'contacted',
        firstContactAt: minutesAfter(at, 30 + 10 * index),
      });
    }
  }
  for (let index = 0; index < 7; index += 1) {
    const parent = await reportParent(dataSource, b, {
      role: 'mother',
      createdAt: new Date('2026-01-20T10:00:00Z'),
    });
    const due = new Date('2026-01-27T09:00:00Z');
    const invitation = await reportInvitation(dataSource, parent, {
      dueAt: due,
      status: 'completed',
      sentAt: due,
      completedAt: minutesAfter(due, 30),
    });
    await reportResponse(dataSource, invitation, { band: 'high', createdAt: minutesAfter(due, 30) });
    if (index < 5) {
      const at = minutesAfter(due, 31);
      await reportAlert(dataSource, parent, {
        createdAt: at,
        status: 'contacted',
        firstContactAt: minutesAfter(at, 60),
      });
    }
  }
  return { a, a2, b };
}

describe('reports (real Postgres)', () => {
  let { environment, api: app, dataSource, orgs, tokens, summary } = {} as ReportsApi<Territory>;
  const http = () => request(app.getHttpServer());

  /** Who reads the reports here, by the name `summary` takes. */
  const users: ReportUsers<Territory> = (orgs) => ({
    platform: { role: 'platform_admin' },
    coordinator62: { role: 'coordinator', territoryDepartements: ['62'] },
    coordinatorGrandEst: { role: 'coordinator', territoryRegion: 'Grand Est' },
    coordinatorNowhere: { role: 'coordinator' },
    adminA: { role: 'org_admin', organisationId: orgs.a.id },
    professionalA: { role: 'professional', organisationId: orgs.a.id },
  });

  beforeAll(async () => {
    ({
      environment,
      api: app,
      dataSource,
      orgs,
      tokens,
      summary,
    } = await startReportsApi(buildTerritory, users));
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  describe('indicators on a hand-built dataset', () => {
    it('counts parents, invitations, SMS, responses and alerts of one organisation with the known answers', async () => {
      const report = await summary('platform', { ...PERIOD, organisationId: orgs.a.id });
      expect(report).toMatchObject({
        ...PERIOD,
        organisationId: orgs.a.id,
        organisations: 1,
        groupBy: null,
        groups: [],
        suppressionThreshold: 5,
      });
      const { parents, invitations, responses, alerts, sms, funnel } = report.total;

      // The parent enrolled at 00:30 on 1 January (Paris) counts; the one at 00:30 on 1 April does not.
      expect(parents.enrolled).toEqual(shown(20));
      expect(parents.enrolledByRole.mother).toEqual(shown(12));
      // Two co-parents are hidden; the fathers (6) too, or 20 − 12 would give them back.
      expect(parents.enrolledByRole.father).toEqual(secondary);

      expect(invitations.byWave.map((wave) => wave.wave)).toEqual(['day7', 'day42']);
      const [day7, day42] = invitations.byWave;
      expect(day7).toMatchObject({
        planned: shown(18),
        sent: shown(18),
        delivered: shown(15),
        opened: shown(12),
        answered: shown(10),
      });
      expect(day7!.responseRate).toEqual(shown(0.5556));
      expect(day42).toMatchObject({ planned: shown(8), sent: shown(0), answered: shown(0) });
      expect(invitations.all).toMatchObject({
        wave: 'all',
        planned: shown(26),
        sent: shown(18),
        answered: shown(10),
        responseRate: shown(0.5556),
      });

      // 10 responses, 7 positive: the 3 negative ones would be a small count, so "positive" is hidden too,
      // and its rate says why. The mothers' 7 responses beside the fathers' 3 are hidden for the same reason.
      expect(responses.all).toMatchObject({ responses: shown(10), moderate: hidden, positive: secondary });
      expect(responses.all.positiveRate).toEqual(hiddenRate);
      expect(responses.byRole.mother).toMatchObject({
        responses: secondary,
        high: hidden,
        positive: secondary,
        positiveRate: hiddenRate,
      });
      // Waves are the same in every table: day 42 was planned, nobody has answered it yet.
      expect(responses.byWave).toEqual([
        expect.objectContaining({ wave: 'day7', responses: shown(10) }),
        expect.objectContaining({
          wave: 'day42',
          responses: shown(0),
          positiveRate: { value: null, suppressed: false },
        }),
      ]);

      // 8 alerts of which 7 positive (1 not), 6 reached (2 not): "of which" differences are small counts.
      expect(alerts).toMatchObject({
        created: shown(8),
        positive: secondary,
        reached: secondary,
        positiveReached: secondary,
      });
      expect(alerts.positiveReachedRate).toEqual(hiddenRate);
      // Median of 30, 60, 90, 120, 240, 600 minutes is 105; p90 interpolates between 240 and 600. A duration
      // over 6 alerts is shown even though the count of 6 is hidden: a median does not give the count back.
      expect(alerts.timeToFirstContact).toEqual({
        alerts: secondary,
        medianMinutes: shown(105),
        p90Minutes: shown(420),
      });

      // 24 planned, 23 accepted: the one not accepted is a small count. Segments follow the accepted count;
      // the delivery rate's denominator holds hidden counts.
      expect(sms).toMatchObject({
        planned: shown(24),
        accepted: secondary,
        delivered: shown(21),
        segments: secondary,
      });
      expect(sms.deliveryRate).toEqual(hiddenRate);
      expect(sms.byKind.invitation).toMatchObject({
        planned: shown(18),
        accepted: secondary,
        delivered: shown(15),
        segments: secondary,
      });
      expect(sms.byKind.reminder).toMatchObject({
        planned: shown(6),
        delivered: shown(6),
        segments: shown(12),
        deliveryRate: shown(1),
      });

      // The funnel shows the same cells as the tables.
      expect(funnel).toEqual({
        enrolled: shown(20),
        answered: shown(10),
        positive: secondary,
        reached: secondary,
        inCare: hidden,
      });
      expect(report).toMatchObject({ roundingBase: 1, periodUnit: 'day' });
    });

    it('groups by month, every month of the period in order, and by organisation and département', async () => {
      const byMonth = await summary('platform', { ...PERIOD, organisationId: orgs.a.id, groupBy: 'month' });
      expect(byMonth.groups.map((group) => group.key)).toEqual(['2026-01', '2026-02', '2026-03']);
      expect(byMonth.groups.map((group) => group.indicators.parents.enrolled)).toEqual([
        shown(20),
        shown(0),
        shown(0),
      ]);
      expect(byMonth.groups[1]!.indicators.invitations.byWave).toEqual([
        expect.objectContaining({ wave: 'day42', planned: shown(8) }),
      ]);

      const byDepartement = await summary('platform', { ...PERIOD, groupBy: 'departement' });
      expect(
        byDepartement.groups.map((group) => [group.key, group.label, group.indicators.parents.enrolled]),
      ).toEqual([
        ['57', 'Moselle', shown(7)],
        ['62', 'Pas-de-Calais', shown(25)],
      ]);
      expect(byDepartement.total.parents.enrolled).toEqual(shown(32));
      // Nine contact times in 62: 30, 30, 40, 50, 60, 90, 120, 240, 600 minutes. The count of 9 is hidden
      // (beside 62's other alert counts), the durations are not: they do not give a count back.
      expect(byDepartement.groups[1]!.indicators.alerts.timeToFirstContact).toEqual({
        alerts: secondary,
        medianMinutes: shown(60),
        p90Minutes: shown(312),
      });

      const byOrganisation = await summary('platform', {
        ...PERIOD,
        groupBy: 'organisation',
        territory: '62',
      });
      expect(
        byOrganisation.groups.map((group) => [
          group.key,
          group.departement,
          group.indicators.parents.enrolled,
        ]),
      ).toEqual([
        [orgs.a2.id, '62', shown(5)],
        [orgs.a.id, '62', shown(20)],
      ]);
      expect(byOrganisation.groups[0]!.label).toBe('=Maternité "Sud"; Arras');
    });
  });

  describe('small-cell suppression', () => {
    it('hides counts from 1 to 4 and what derives from them, keeps 0, and hides statistics over fewer than 5 alerts', async () => {
      const { total } = await summary('platform', { ...PERIOD, organisationId: orgs.a.id });
      expect(total.parents.enrolledByRole.co_parent).toEqual(hidden);
      expect(total.parents.optedOut).toEqual(hidden);
      expect(total.parents.withdrawn).toEqual(shown(0));
      expect(total.invitations.byWave[0]).toMatchObject({ expired: hidden, cancelled: hidden });
      // No invitation of day 42 was sent: the response rate is undefined, not hidden.
      expect(total.invitations.byWave[1]!.responseRate).toEqual({ value: null, suppressed: false });
      expect(total.responses.all).toMatchObject({
        low: hidden,
        moderate: hidden,
        high: hidden,
        item10Positive: hidden,
        anxiety: hidden,
      });
      // Three fathers answered: their count and positives are hidden, and their positive rate says why.
      expect(total.responses.byRole.father).toMatchObject({
        responses: hidden,
        positive: hidden,
        positiveRate: hiddenRate,
      });
      expect(total.responses.byRole.co_parent).toMatchObject({
        responses: shown(0),
        positiveRate: { value: null, suppressed: false },
      });
      expect(total.alerts.bySeverity).toEqual({
        urgent: hidden,
        high: hidden,
        moderate: hidden,
        low: hidden,
      });
      expect(total.alerts).toMatchObject({
        referred: hidden,
        inCare: hidden,
        positiveInCare: hidden,
        closed: hidden,
      });
      expect(total.alerts.closedByOutcome).toEqual({
        in_care: hidden,
        declined: hidden,
        false_alarm: shown(0),
        moved: shown(0),
        unreachable: shown(0),
      });
      expect(total.sms).toMatchObject({ undelivered: hidden, failed: hidden });
      // A rate is derived only from shown counts: 15 delivered over 15 + 2 + 1 is hidden, and says why.
      expect(total.sms.byKind.invitation.deliveryRate).toEqual(hiddenRate);
      expect(total.sms.byKind.reminder.deliveryRate).toEqual(shown(1));

      const a2 = await summary('platform', { ...PERIOD, organisationId: orgs.a2.id });
      expect(a2.total.parents.enrolled).toEqual(shown(5));
      // Durations over 1 to 4 alerts are hidden as a small sample, never as "<5".
      expect(a2.total.alerts.timeToFirstContact).toEqual({
        alerts: hidden,
        medianMinutes: { value: null, suppressed: true, reason: 'small_sample' },
        p90Minutes: { value: null, suppressed: true, reason: 'small_sample' },
      });
      // Three positive alerts, all reached: a rate over hidden counts is hidden too.
      expect(a2.total.alerts.positiveReachedRate).toEqual(hiddenRate);
    });
  });

  describe('scope', () => {
    it('shows a coordinator of 62 only the organisations of 62, and nothing of 57', async () => {
      const report = await summary('coordinator62', PERIOD);
      expect(report.organisations).toBe(2);
      expect(report.total.parents.enrolled).toEqual(shown(25));
      expect(report.total.responses.all.responses).toEqual(shown(10));
      const byDepartement = await summary('coordinator62', { ...PERIOD, groupBy: 'departement' });
      expect(byDepartement.groups.map((group) => group.key)).toEqual(['62']);
      const byOrganisation = await summary('coordinator62', { ...PERIOD, groupBy: 'organisation' });
      expect(byOrganisation.groups.map((group) => group.key).sort()).toEqual([orgs.a.id, orgs.a2.id].sort());
      expect((await summary('coordinator62', { ...PERIOD, territory: '62' })).total.parents.enrolled).toEqual(
        shown(25),
      );

      expect(await summary('coordinator62', { territory: '57' }, 403)).toMatchObject({
        code: 'territory_out_of_scope',
      });
      await summary('coordinator62', { territory: '62,57' }, 403);
      await summary('coordinator62', { territory: 'region:Grand Est' }, 403);
      const other = await http()
        .get('/api/reports/summary')
        .query({ organisationId: orgs.b.id })
        .auth(tokens.coordinator62!, { type: 'bearer' })
        .set('X-Request-Id', 'oracle-check')
        .expect(404);
      const unknown = await http()
        .get('/api/reports/summary')
        .query({ organisationId: '00000000-0000-4000-8000-000000000000' })
        .auth(tokens.coordinator62!, { type: 'bearer' })
        .set('X-Request-Id', 'oracle-check')
        .expect(404);
      expect(other.body).toEqual(unknown.body);
      await http()
        .get('/api/reports/export.csv')
        .query({ territory: '57' })
        .auth(tokens.coordinator62!, { type: 'bearer' })
        .expect(403);
    });

    it('shows a regional coordinator their region only', async () => {
      const report = await summary('coordinatorGrandEst', PERIOD);
      expect(report.organisations).toBe(1);
      // Coordinators read counts rounded to 5: 7 parents read 5.
      expect(report.total.parents.enrolled).toEqual(shown(5));
      expect(report.total.alerts.timeToFirstContact).toEqual({
        alerts: shown(5),
        medianMinutes: shown(60),
        p90Minutes: shown(60),
      });
      expect(
        (await summary('coordinatorGrandEst', { ...PERIOD, territory: '57' })).total.parents.enrolled,
      ).toEqual(shown(5));
      expect(
        (await summary('coordinatorGrandEst', { ...PERIOD, territory: 'region:grand est' })).territory,
      ).toEqual(['region:Grand Est']);
      await summary('coordinatorGrandEst', { territory: '62' }, 403);
      expect(await summary('coordinatorNowhere', {}, 403)).toMatchObject({ code: 'no_territory' });
    });

    it('limits an org admin to their organisation and refuses professionals and anonymous callers', async () => {
      const report = await summary('adminA', PERIOD);
      expect(report.organisations).toBe(1);
      expect(report.total.parents.enrolled).toEqual(shown(20));
      await summary('adminA', { organisationId: orgs.a2.id }, 404);
      await summary('adminA', { territory: '57' }, 403);
      expect((await summary('adminA', { ...PERIOD, territory: '62' })).total.parents.enrolled).toEqual(
        shown(20),
      );
      await http().get('/api/reports/summary').auth(tokens.professionalA!, { type: 'bearer' }).expect(403);
      await http().get('/api/reports/export.csv').auth(tokens.professionalA!, { type: 'bearer' }).expect(403);
      await http().get('/api/reports/summary').expect(401);
    });

    it('never carries a name, phone or record id', async () => {
      const report = await summary('coordinator62', { ...PERIOD, groupBy: 'organisation' });
      const text = JSON.stringify(report);
      expect(text).not.toContain('placeholder');
      const parentIds = await dataSource.query<{ id: string }[]>('SELECT id FROM parents');
      const alertIds = await dataSource.query<{ id: string }[]>('SELECT id FROM alerts');
      for (const { id } of [...parentIds, ...alertIds]) expect(text).not.toContain(id);
    });
  });

  describe('GET /api/reports/export.csv', () => {
    it('sends UTF-8 with a BOM, the French header, one line per figure, and audits the export', async () => {
      const response = await http()
        .get('/api/reports/export.csv')
        .query({ ...PERIOD, organisationId: orgs.a.id })
        .auth(tokens.coordinator62!, { type: 'bearer' })
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="lien-report-2026-01-01-2026-03-31.csv"',
      );
      const bytes = response.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines[0]).toBe(
        'début,fin,groupe,libellé du groupe,indicateur,nom de l’indicateur,dimension,unité,valeur,secret statistique,motif du secret',
      );
      expect(lines).toContain(
        '2026-01-01,2026-03-31,total,Total,parents_enrolled,Parents inscrits,role=all,effectif,20,,',
      );
      expect(lines).toContain(
        '2026-01-01,2026-03-31,total,Total,parents_enrolled,Parents inscrits,role=co_parent,effectif,,<5,effectif de 1 à 4',
      );
      // A coordinator's rates come from the rounded counts: 10 answered over 18 sent reads 10 / 20.
      expect(lines).toContain(
        '2026-01-01,2026-03-31,total,Total,response_rate,Taux de réponse,wave=day7,pourcentage,50,,',
      );
      // A hidden rate reads "s" with its reason, never "<5".
      expect(lines).toContain(
        '2026-01-01,2026-03-31,total,Total,positive_rate,Taux de dépistages positifs,role=father,pourcentage,,s,taux non calculé : un de ses effectifs est masqué',
      );
      expect(lines).toContain(
        '2026-01-01,2026-03-31,total,Total,time_to_first_contact_median,Délai médian de premier contact,,minutes,105,,',
      );
      expect(lines.at(-1)).toBe('');
      const audit = await auditEventOf(dataSource, { action: 'report.export' });
      expect(audit.metadata).toMatchObject({
        from: PERIOD.from,
        to: PERIOD.to,
        organisationId: orgs.a.id,
        separator: 'comma',
        lines: lines.length - 2,
      });
      expect(audit.targetType).toBe('report');
    });

    it('uses ";" and a decimal comma for French Excel, quotes and neutralises organisation names', async () => {
      const response = await http()
        .get('/api/reports/export.csv')
        .query({ ...PERIOD, territory: '62', groupBy: 'organisation', separator: 'semicolon' })
        .auth(tokens.platform!, { type: 'bearer' })
        .expect(200);
      const text = response.text;
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).toBe(
        'début;fin;groupe;libellé du groupe;indicateur;nom de l’indicateur;dimension;unité;valeur;secret statistique;motif du secret',
      );
      expect(lines).toContain(
        `2026-01-01;2026-03-31;${orgs.a.id};PMI Arras;response_rate;Taux de réponse;wave=day7;pourcentage;55,6;;`,
      );
      expect(lines).toContain(
        `2026-01-01;2026-03-31;${orgs.a2.id};"'=Maternité ""Sud""; Arras";parents_enrolled;Parents inscrits;role=father;effectif;5;;`,
      );
      expect(lines).toContain(
        '2026-01-01;2026-03-31;total;Total;parents_enrolled;Parents inscrits;role=all;effectif;25;;',
      );
      const exports = await dataSource.getRepository(AuditEventEntity).findBy({ action: 'report.export' });
      expect(exports.map((event) => event.metadata.separator)).toContain('semicolon');
    });
  });

  describe('validation', () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{ from: '2026-13-01' }, 'from'],
      [{ from: '2026-02-30' }, 'from'],
      [{ to: '01/03/2026' }, 'to'],
      [{ from: '2026-03-01', to: '2026-02-01' }, 'from'],
      [{ from: '2020-01-01', to: '2026-01-01' }, 'to'],
      [{ territory: '99' }, 'territory'],
      [{ territory: '62,region:Atlantis' }, 'territory'],
      [{ territory: ['62', '57'] }, 'territory'],
      [{ groupBy: 'week' }, 'groupBy'],
      [{ organisationId: 'not-a-uuid' }, 'organisationId'],
      [{ foo: '1' }, 'foo'],
    ];
    it.each(cases)('refuses %j with a 400 naming %s', async (query, field) => {
      const response = await http()
        .get('/api/reports/summary')
        .query(query)
        .auth(tokens.platform!, { type: 'bearer' })
        .expect(400);
      expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('refuses an unknown CSV separator', async () => {
      const response = await http()
        .get('/api/reports/export.csv')
        .query({ separator: 'tab' })
        .auth(tokens.platform!, { type: 'bearer' })
        .expect(400);
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'separator' })]);
    });

    it('defaults to the 12 months ending today (Paris) and accepts a 5-year span', async () => {
      const report = await summary('platform');
      expect([report.from, report.to]).toEqual(['2025-04-01', '2026-03-02']);
      expect(report.total.parents.enrolled).toEqual(shown(32));
      const long = await summary('platform', { from: '2021-01-01', to: '2026-01-01' });
      // Only the parent enrolled at 00:30 on 1 January 2026 (Paris) is in: one parent, shown as "<5".
      expect(long.total.parents.enrolled).toEqual(hidden);
    });
  });
});
