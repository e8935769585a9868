import request from 'supertest';
import type { DataSource } from 'typeorm';
import {
  countCell,
  statisticCell,
  type AlertSeverity,
  type CloseOutcome,
  type ParentRole,
  type ReportCell,
  type ReportSummary,
} from '@lien/shared';
import { signInNewUser } from '../../testing/factories.js';
import {
  minutesAfter,
  reportAlert,
  reportInvitation,
  reportParent,
  reportResponse,
  reportSms,
  generator,
  makeUnknownZoneOrganisation,
  makeZoneOrganisations,
} from '../../testing/reports-factories.js';
import { createTestWorker, runScheduledJob } from '../../testing/test-app.js';
import type { AlertEntity } from '../alerts/alert.entity.js';
import type { InvitationEntity } from '../invitations/invitation.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import type { SmsMessageEntity } from '../sms/sms-message.entity.js';
import { ReportsRepository } from './reports.repository.js';
import { PLATFORM_ROLLUP_ID, ROLLUP_COUNTERS, isRollupSubject } from './rollup-catalogue.js';
import { RollupMaintenanceService } from './rollup-maintenance.service.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';

jest.setTimeout(120_000);

/**
 * The reference: every report counter computed straight from the source tables, written independently
 * of the migration's facts functions, per organisation, local day (organisation's zone), subject and
 * dimensions. Zero values are left out.
 */
const DIRECT_COUNTS = `
  WITH org AS (SELECT id, time_zone AS tz FROM organisations WHERE id = ANY($1::uuid[]))
  SELECT p.organisation_id AS org, (v.at AT TIME ZONE org.tz)::date AS day, 'parents' AS subject, p.role AS dim1, '' AS dim2,
         v.counter, sum(v.amount)::int AS value
  FROM parents p JOIN org ON org.id = p.organisation_id
  CROSS JOIN LATERAL (VALUES
    ('enrolled', p.created_at, 1),
    ('optedOut', coalesce(p.status_changed_at, p.created_at), CASE WHEN p.status = 'opted_out' THEN 1 ELSE 0 END),
    ('withdrawn', coalesce(p.status_changed_at, p.created_at), CASE WHEN p.status = 'withdrawn' THEN 1 ELSE 0 END)
  ) v(counter, at, amount)
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(v.amount) <> 0
  UNION ALL
  SELECT i.organisation_id, (i.due_at AT TIME ZONE org.tz)::date, 'invitations', i.wave, '', v.counter, sum(v.amount)::int
  FROM invitations i JOIN org ON org.id = i.organisation_id
  CROSS JOIN LATERAL (VALUES
    ('planned', CASE WHEN i.status IN ('cancelled', 'skipped') THEN 0 ELSE 1 END),
    ('sent', CASE WHEN i.sent_at IS NOT NULL OR i.opened_at IS NOT NULL OR i.completed_at IS NOT NULL THEN 1 ELSE 0 END),
    ('opened', CASE WHEN i.opened_at IS NOT NULL OR i.completed_at IS NOT NULL THEN 1 ELSE 0 END),
    ('answered', CASE WHEN i.completed_at IS NOT NULL THEN 1 ELSE 0 END),
    ('expired', CASE WHEN i.status = 'expired' THEN 1 ELSE 0 END),
    ('cancelled', CASE WHEN i.status IN ('cancelled', 'skipped') THEN 1 ELSE 0 END)
  ) v(counter, amount)
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(v.amount) <> 0
  UNION ALL
  SELECT s.organisation_id, (s.due_at AT TIME ZONE org.tz)::date, 'sms', s.kind, i.wave, v.counter, sum(v.amount)::int
  FROM sms_messages s JOIN org ON org.id = s.organisation_id JOIN invitations i ON i.id = s.invitation_id
  CROSS JOIN LATERAL (VALUES
    ('planned', CASE WHEN s.status = 'cancelled' THEN 0 ELSE 1 END),
    ('accepted', CASE WHEN s.status IN ('queued', 'sent', 'delivered', 'undelivered') THEN 1 ELSE 0 END),
    ('delivered', CASE WHEN s.status = 'delivered' THEN 1 ELSE 0 END),
    ('undelivered', CASE WHEN s.status = 'undelivered' THEN 1 ELSE 0 END),
    ('failed', CASE WHEN s.status = 'failed' THEN 1 ELSE 0 END),
    ('segments', CASE WHEN s.status IN ('queued', 'sent', 'delivered', 'undelivered') THEN coalesce(s.segments, 0) ELSE 0 END)
  ) v(counter, amount)
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(v.amount) <> 0
  UNION ALL
  SELECT r.organisation_id, (r.created_at AT TIME ZONE org.tz)::date, 'responses', r.wave, r.parent_role, v.counter, sum(v.amount)::int
  FROM responses r JOIN org ON org.id = r.organisation_id
  CROSS JOIN LATERAL (VALUES
    ('responses', 1),
    ('low', CASE WHEN r.band = 'low' THEN 1 ELSE 0 END),
    ('moderate', CASE WHEN r.band = 'moderate' THEN 1 ELSE 0 END),
    ('high', CASE WHEN r.band = 'high' THEN 1 ELSE 0 END),
    ('item10Positive', CASE WHEN r.item10_positive THEN 1 ELSE 0 END),
    ('anxiety', CASE WHEN r.anxiety_flag THEN 1 ELSE 0 END),
    ('positive', CASE WHEN r.band IN ('moderate', 'high') OR r.item10_positive THEN 1 ELSE 0 END)
  ) v(counter, amount)
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(v.amount) <> 0
  UNION ALL
  SELECT a.organisation_id, (a.created_at AT TIME ZONE org.tz)::date, 'alerts', a.severity,
         CASE WHEN a.status = 'closed' THEN coalesce(a.outcome, '') ELSE '' END, v.counter, sum(v.amount)::int
  FROM alerts a JOIN org ON org.id = a.organisation_id
  CROSS JOIN LATERAL (SELECT 'item10' = ANY(a.reasons) OR 'high_score' = ANY(a.reasons) OR 'moderate_score' = ANY(a.reasons) AS positive,
                             a.in_care_at IS NOT NULL OR a.outcome = 'in_care' AS in_care) f
  CROSS JOIN LATERAL (VALUES
    ('created', 1),
    ('positive', CASE WHEN f.positive THEN 1 ELSE 0 END),
    ('reached', CASE WHEN a.first_contact_at IS NOT NULL THEN 1 ELSE 0 END),
    ('positiveReached', CASE WHEN f.positive AND a.first_contact_at IS NOT NULL THEN 1 ELSE 0 END),
    ('referred', CASE WHEN a.referred_at IS NOT NULL THEN 1 ELSE 0 END),
    ('inCare', CASE WHEN f.in_care THEN 1 ELSE 0 END),
    ('positiveInCare', CASE WHEN f.positive AND f.in_care THEN 1 ELSE 0 END),
    ('closed', CASE WHEN a.status = 'closed' THEN 1 ELSE 0 END)
  ) v(counter, amount)
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(v.amount) <> 0`;

type Counts = Map<string, number>;

function toDateText(value: unknown): string {
  return value instanceof Date
    ? `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`
    : String(value);
}

async function directCounts(dataSource: DataSource, organisationIds: string[]): Promise<Counts> {
  const rows = await dataSource.query<Record<string, unknown>[]>(DIRECT_COUNTS, [organisationIds]);
  const counts: Counts = new Map();
  for (const row of rows) {
    counts.set(
      [row.org, toDateText(row.day), row.subject, row.dim1, row.dim2, row.counter].join('|'),
      Number(row.value),
    );
  }
  return counts;
}

/** The rollups unpivoted by counter name: `table` rows (plus the pending deltas unless told otherwise). */
async function rollupCounts(
  dataSource: DataSource,
  organisationIds: string[],
  table: 'report_daily' | 'report_monthly',
  withDeltas = true,
): Promise<Counts> {
  const period = table === 'report_daily' ? 'day' : 'month';
  const deltas = withDeltas
    ? `UNION ALL SELECT organisation_id, ${table === 'report_daily' ? 'day' : `date_trunc('month', day)::date`}, subject, dim1, dim2, c1, c2, c3, c4, c5, c6, c7, c8 FROM report_delta`
    : '';
  const rows = await dataSource.query<Record<string, unknown>[]>(
    `SELECT organisation_id AS org, period, subject, dim1, dim2,
            sum(c1)::int AS c1, sum(c2)::int AS c2, sum(c3)::int AS c3, sum(c4)::int AS c4,
            sum(c5)::int AS c5, sum(c6)::int AS c6, sum(c7)::int AS c7, sum(c8)::int AS c8
     FROM (SELECT organisation_id, ${period} AS period, subject, dim1, dim2, c1, c2, c3, c4, c5, c6, c7, c8 FROM ${table} ${deltas}) x
     WHERE organisation_id = ANY($1::uuid[])
     GROUP BY 1, 2, 3, 4, 5`,
    [organisationIds],
  );
  // Counters past the subject's list must stay 0.
  return countsOf(rows, (row) => [row.org, toDateText(row.period)], true);
}

/**
 * The platform total's rows (`platform`), or every organisation's rows summed (not `platform`), of a rollup
 * table, by period, subject and dimensions: the two must agree once the deltas are compacted.
 */
async function totals(
  dataSource: DataSource,
  table: 'report_daily' | 'report_monthly',
  platform: boolean,
): Promise<Counts> {
  const period = table === 'report_daily' ? 'day' : 'month';
  const rows = await dataSource.query<Record<string, unknown>[]>(
    `SELECT ${period}::text AS period, subject, dim1, dim2, sum(c1)::int AS c1, sum(c2)::int AS c2, sum(c3)::int AS c3,
            sum(c4)::int AS c4, sum(c5)::int AS c5, sum(c6)::int AS c6, sum(c7)::int AS c7, sum(c8)::int AS c8
     FROM ${table} WHERE organisation_id ${platform ? '=' : '<>'} $1 GROUP BY 1, 2, 3, 4`,
    [PLATFORM_ROLLUP_ID],
  );
  return countsOf(rows, (row) => [row.period], false);
}

async function expectPlatformTotalsToMatch(dataSource: DataSource): Promise<void> {
  for (const table of ['report_daily', 'report_monthly'] as const) {
    const platform = sorted(await totals(dataSource, table, true));
    expect(platform.length).toBeGreaterThan(0);
    expect(platform).toEqual(sorted(await totals(dataSource, table, false)));
  }
}

/** Daily counts folded into months, to compare with the monthly rollups. */
function byMonth(counts: Counts): Counts {
  const months: Counts = new Map();
  for (const [key, value] of counts) {
    const parts = key.split('|');
    parts[1] = `${parts[1]!.slice(0, 7)}-01`;
    const monthKey = parts.join('|');
    months.set(monthKey, (months.get(monthKey) ?? 0) + value);
  }
  for (const [key, value] of months) if (value === 0) months.delete(key);
  return months;
}

/**
 * The non-zero counters of rollup rows, keyed by `key(row)`, subject, dimensions and counter name; with
 * `unusedZero`, each counter past the subject's list is expected to be 0.
 */
function countsOf(
  rows: Record<string, unknown>[],
  key: (row: Record<string, unknown>) => unknown[],
  unusedZero: boolean,
): Counts {
  const counts: Counts = new Map();
  for (const row of rows) {
    const subject = String(row.subject);
    if (!isRollupSubject(subject)) throw new Error(`unknown subject ${subject}`);
    ROLLUP_COUNTERS[subject].forEach((counter, index) => {
      const value = Number(row[`c${index + 1}`]);
      if (value !== 0) counts.set([...key(row), subject, row.dim1, row.dim2, counter].join('|'), value);
    });
    if (unusedZero)
      for (let index = ROLLUP_COUNTERS[subject].length; index < 8; index += 1)
        expect(Number(row[`c${index + 1}`])).toBe(0);
  }
  return counts;
}

function sorted(counts: Counts): [string, number][] {
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

describe('report rollups (real Postgres)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let maintenance: RollupMaintenanceService;
  let repository: ReportsRepository;
  let token: string;
  let organisations: OrganisationEntity[];
  const ids = () => organisations.map((o) => o.id);

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    maintenance = app.get(RollupMaintenanceService);
    repository = app.get(ReportsRepository);
    token = await signInNewUser(dataSource, environment.config, { role: 'platform_admin' });
    organisations = await makeZoneOrganisations(dataSource);
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  it('equal a direct count of the source tables after a mixed sequence of inserts, changes and deletes', async () => {
    const random = generator(20260302);
    const parents: ParentEntity[] = [];
    const invitations: InvitationEntity[] = [];
    const sms: SmsMessageEntity[] = [];
    const alerts: AlertEntity[] = [];
    // Around midnight UTC at the turn of January: the local day and month differ between Paris, Réunion and Cayenne.
    const around = () => new Date(Date.UTC(2026, 0, 31, 12) + random.int(24 * 60) * 60_000);
    const roles: ParentRole[] = ['mother', 'father', 'co_parent'];

    const enrol = async (count: number) => {
      for (let n = 0; n < count; n += 1) {
        const parent = await reportParent(dataSource, random.pick(organisations), {
          role: random.pick(roles),
          createdAt: around(),
        });
        parents.push(parent);
        for (const wave of random.chance(0.5) ? ['day7', 'day42'] : ['day7']) {
          const invitation = await reportInvitation(dataSource, parent, { wave, dueAt: around() });
          invitations.push(invitation);
          sms.push(await reportSms(dataSource, invitation, { dueAt: invitation.dueAt }));
          if (random.chance(0.5))
            sms.push(
              await reportSms(dataSource, invitation, {
                kind: 'reminder',
                dueAt: minutesAfter(invitation.dueAt, 2880),
              }),
            );
        }
      }
    };
    const live =
      <T extends { id: string }>(rows: T[], table: string, where = 'true') =>
      async (): Promise<T[]> => {
        const present = new Set(
          (await dataSource.query<{ id: string }[]>(`SELECT id FROM ${table} WHERE ${where}`)).map(
            (row) => row.id,
          ),
        );
        return rows.filter((row) => present.has(row.id));
      };
    const liveInvitations = live(invitations, 'invitations');
    const liveSms = live(sms, 'sms_messages');
    const liveAlerts = live(alerts, 'alerts', `status <> 'closed'`);
    const liveParents = live(parents, 'parents');

    const progress = async () => {
      for (const invitation of await liveInvitations()) {
        const step = random.int(6);
        if (step === 0) continue;
        const at = minutesAfter(invitation.dueAt, 60);
        if (step === 5) {
          await dataSource.query(`UPDATE invitations SET status = 'cancelled' WHERE id = $1`, [
            invitation.id,
          ]);
          continue;
        }
        await dataSource.query(
          `UPDATE invitations SET status = $2, sent_at = coalesce(sent_at, $3), opened_at = CASE WHEN $4 THEN coalesce(opened_at, $3) ELSE opened_at END,
                  completed_at = CASE WHEN $5 THEN coalesce(completed_at, $3) ELSE completed_at END WHERE id = $1`,
          [
            invitation.id,
            ['sent', 'sent', 'opened', 'completed', 'expired'][step - 1],
            at,
            step >= 3 && step !== 5,
            step === 4,
          ],
        );
        if (
          step === 4 &&
          !(await dataSource.query('SELECT 1 FROM responses WHERE invitation_id = $1', [invitation.id]))
            .length
        ) {
          const [row] = await dataSource.query<{ role: ParentRole }[]>(
            'SELECT p.role FROM parents p WHERE p.id = $1',
            [invitation.parentId],
          );
          await reportResponse(dataSource, invitation, {
            band: random.pick(['low', 'moderate', 'high'] as const),
            item10Positive: random.chance(0.2),
            anxietyFlag: random.chance(0.3),
            parentRole: row!.role,
            createdAt: minutesAfter(at, random.int(600)),
          });
          const parentId = invitation.parentId;
          const open = await dataSource.query<unknown[]>(
            `SELECT 1 FROM alerts WHERE parent_id = $1 AND status <> 'closed'`,
            [parentId],
          );
          if (open.length === 0 && random.chance(0.8)) {
            alerts.push(
              await reportAlert(
                dataSource,
                { id: parentId, organisationId: invitation.organisationId },
                {
                  severity: random.pick(['urgent', 'high', 'moderate', 'low'] as AlertSeverity[]),
                  reasons: random.pick([
                    ['item10'],
                    ['high_score'],
                    ['moderate_score', 'anxiety'],
                    ['anxiety'],
                    ['no_response'],
                  ]),
                  createdAt: minutesAfter(at, 700),
                },
              ),
            );
          }
        }
      }
      for (const message of await liveSms()) {
        const status = random.pick([
          'pending',
          'queued',
          'sent',
          'delivered',
          'delivered',
          'undelivered',
          'failed',
          'cancelled',
          'unknown',
        ]);
        await dataSource.query(
          `UPDATE sms_messages SET status = $2, segments = $3, attempts = attempts + 1 WHERE id = $1`,
          [message.id, status, status === 'pending' || status === 'cancelled' ? null : 1 + random.int(3)],
        );
      }
      for (const alert of await liveAlerts()) {
        const step = random.int(5);
        const at = (minutes: number) => minutesAfter(alert.createdAt, minutes + random.int(3000));
        if (step >= 1)
          await dataSource.query(
            `UPDATE alerts SET status = 'contacted', first_contact_at = coalesce(first_contact_at, $2) WHERE id = $1`,
            [alert.id, at(5)],
          );
        if (step >= 2)
          await dataSource.query(
            `UPDATE alerts SET status = 'referred', referred_at = coalesce(referred_at, $2) WHERE id = $1`,
            [alert.id, at(3000)],
          );
        if (step >= 3)
          await dataSource.query(
            `UPDATE alerts SET status = 'in_care', in_care_at = coalesce(in_care_at, $2) WHERE id = $1`,
            [alert.id, at(6000)],
          );
        if (step >= 4) {
          const outcome = random.pick(['in_care', 'declined', 'false_alarm', 'moved'] as CloseOutcome[]);
          await dataSource.query(
            `UPDATE alerts SET status = 'closed', closed_at = $2, outcome = $3 WHERE id = $1`,
            [alert.id, at(9000), outcome],
          );
        }
      }
      for (const parent of await liveParents()) {
        if (random.chance(0.15)) {
          await dataSource.query(`UPDATE parents SET status = $2, status_changed_at = $3 WHERE id = $1`, [
            parent.id,
            random.pick(['opted_out', 'withdrawn']),
            minutesAfter(parent.createdAt, random.int(3000)),
          ]);
        }
      }
    };

    // 1. Writes before the worker ever ran: rollups use Europe/Paris for every organisation until their zone is checked.
    await enrol(24);
    await progress();
    expect(await repository.pendingDeltas()).toBeGreaterThan(0);
    const first = await maintenance.run();
    expect(first).toMatchObject({ rebuiltOrganisations: 3, busy: false });
    expect(await repository.pendingDeltas()).toBe(0);
    expect(sorted(await rollupCounts(dataSource, ids(), 'report_daily'))).toEqual(
      sorted(await directCounts(dataSource, ids())),
    );
    await expectPlatformTotalsToMatch(dataSource);

    // 2. More of everything, a partial compaction in the middle, then bulk statements touching many rows at once.
    await enrol(12);
    await progress();
    expect(await repository.compact(7)).toBe(7);
    await progress();
    await dataSource.query(
      `UPDATE invitations SET due_at = due_at + interval '5 hours' WHERE wave = 'day42'`,
    );
    await dataSource.query(
      `UPDATE sms_messages SET status = 'delivered', segments = 2 WHERE status = 'queued'`,
    );
    await dataSource.query(`UPDATE parents SET updated_at = now()`);

    // 3. Deletes: a parent with everything cascading, an invitation and its SMS, an alert, a single SMS.
    const [victim, other] = (await liveParents()).filter((parent) =>
      invitations.some((i) => i.parentId === parent.id),
    );
    await dataSource.query('DELETE FROM parents WHERE id = $1', [victim!.id]);
    await dataSource.query(
      'DELETE FROM invitations WHERE id = (SELECT id FROM invitations WHERE parent_id = $1 LIMIT 1)',
      [other!.id],
    );
    const [alert] = await liveAlerts();
    await dataSource.query('DELETE FROM alerts WHERE id = $1', [alert!.id]);
    const [message] = await liveSms();
    await dataSource.query('DELETE FROM sms_messages WHERE id = $1', [message!.id]);

    // 4. Cayenne's organisation moves to Paris time: the next maintenance rebuilds it in its new zone.
    await dataSource.query(`UPDATE organisations SET time_zone = 'Europe/Paris' WHERE id = $1`, [
      organisations[2]!.id,
    ]);
    expect(await maintenance.run()).toMatchObject({ rebuiltOrganisations: 1, busy: false });
    await enrol(6);
    await progress();

    // Deltas still pending are part of the answer.
    expect(await repository.pendingDeltas()).toBeGreaterThan(0);
    const expected = sorted(await directCounts(dataSource, ids()));
    expect(expected.length).toBeGreaterThan(100);
    expect(sorted(await rollupCounts(dataSource, ids(), 'report_daily'))).toEqual(expected);

    // Once compacted: the daily rollups alone, and the monthly ones equal the daily ones by month.
    expect(await maintenance.run()).toMatchObject({ rebuiltOrganisations: 0, busy: false });
    expect(await repository.pendingDeltas()).toBe(0);
    const daily = await rollupCounts(dataSource, ids(), 'report_daily', false);
    expect(sorted(daily)).toEqual(expected);
    expect(sorted(await rollupCounts(dataSource, ids(), 'report_monthly', false))).toEqual(
      sorted(byMonth(daily)),
    );
    // The platform total followed every compaction and the rebuild of one organisation.
    await expectPlatformTotalsToMatch(dataSource);

    // Time to first contact: one row per reached alert, its local creation day and delay.
    const contactTimes = async () =>
      await dataSource.query<unknown[]>(
        `SELECT alert_id AS id, organisation_id, day::text, severity, positive, seconds FROM report_contact_times ORDER BY alert_id`,
      );
    const direct = await dataSource.query<unknown[]>(
      `SELECT a.id, a.organisation_id, (a.created_at AT TIME ZONE o.time_zone)::date::text AS day, a.severity,
              ('item10' = ANY(a.reasons) OR 'high_score' = ANY(a.reasons) OR 'moderate_score' = ANY(a.reasons)) AS positive,
              round(extract(epoch FROM a.first_contact_at - a.created_at))::int AS seconds
       FROM alerts a JOIN organisations o ON o.id = a.organisation_id WHERE a.first_contact_at IS NOT NULL ORDER BY a.id`,
    );
    expect(direct.length).toBeGreaterThan(5);
    expect(await contactTimes()).toEqual(direct);

    // A full rebuild from the source tables lands on the same numbers.
    await repository.rebuild(null);
    expect(sorted(await rollupCounts(dataSource, ids(), 'report_daily', false))).toEqual(expected);
    expect(await contactTimes()).toEqual(direct);
    await expectPlatformTotalsToMatch(dataSource);

    // And the API's totals are the direct counts, suppression applied.
    const total = (subject: string, counter: string) =>
      expected
        .filter(([key]) => key.split('|')[2] === subject && key.split('|')[5] === counter)
        .reduce((sum, [, value]) => sum + value, 0);
    const response = await request(app.getHttpServer())
      .get('/api/reports/summary')
      .query({ from: '2026-01-01', to: '2026-03-31' })
      .auth(token, { type: 'bearer' })
      .expect(200);
    const report = (response.body as ReportSummary).total;
    // Each figure is the direct count, or hidden: "<5" for 1 to 4, or as the complement of a small count
    // (complementary suppression), which only ever hides a count of 5 or more.
    const expectPublished = (cell: ReportCell, count: number) => {
      if (cell.reason === 'complementary') expect(count).toBeGreaterThanOrEqual(5);
      else expect(cell).toEqual(countCell(count));
    };
    expectPublished(report.parents.enrolled, total('parents', 'enrolled'));
    expectPublished(report.parents.optedOut, total('parents', 'optedOut'));
    expectPublished(report.invitations.all.sent, total('invitations', 'sent'));
    expectPublished(report.invitations.all.answered, total('invitations', 'answered'));
    expectPublished(report.responses.all.positive, total('responses', 'positive'));
    expectPublished(report.alerts.created, total('alerts', 'created'));
    expectPublished(report.alerts.positiveReached, total('alerts', 'positiveReached'));
    expectPublished(report.sms.delivered, total('sms', 'delivered'));
    expectPublished(report.sms.segments, total('sms', 'segments'));
    const seconds = (direct as { seconds: number }[]).map((row) => row.seconds).sort((a, b) => a - b);
    const middle = seconds.length / 2;
    const median =
      seconds.length % 2 ? seconds[Math.floor(middle)]! : (seconds[middle - 1]! + seconds[middle]!) / 2;
    expect(report.alerts.timeToFirstContact.medianMinutes).toEqual(
      statisticCell(median / 60, seconds.length),
    );
    // All of France by month reads the platform total; by département, the organisations' rows: same total.
    const byDepartement = await request(app.getHttpServer())
      .get('/api/reports/summary')
      .query({ from: '2026-01-01', to: '2026-03-31', groupBy: 'departement' })
      .auth(token, { type: 'bearer' })
      .expect(200);
    // With groups beside it, the total may hide more (complementary suppression): every figure shown in
    // both is the same.
    const flat = (node: unknown, at = '', into = new Map<string, ReportCell>()) => {
      if (node && typeof node === 'object' && 'suppressed' in node) into.set(at, node as ReportCell);
      else if (node && typeof node === 'object')
        for (const [key, child] of Object.entries(node)) flat(child, `${at}.${key}`, into);
      return into;
    };
    const grouped = flat((byDepartement.body as ReportSummary).total);
    const alone = flat(report);
    expect([...grouped.keys()]).toEqual([...alone.keys()]);
    const bothShown = [...alone].filter(([path, cell]) => !cell.suppressed && !grouped.get(path)!.suppressed);
    expect(bothShown.length).toBeGreaterThan(alone.size / 2);
    for (const [path, cell] of bothShown)
      expect([path, grouped.get(path)!.value]).toEqual([path, cell.value]);
  });

  it('answer from the rollups, never from the source tables', async () => {
    const enrolled = async () => {
      const response = await request(app.getHttpServer())
        .get('/api/reports/summary')
        .query({ from: '2026-01-01', to: '2026-03-31' })
        .auth(token, { type: 'bearer' })
        .expect(200);
      return (response.body as ReportSummary).total.parents.enrolled.value;
    };
    const before = await enrolled();
    // Rows written with triggers off (as a bulk load would): invisible to reports until a rebuild.
    await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(
        `INSERT INTO parents (organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, last_name_index, first_name_index,
                              role, language, consent_recorded_by, consent_recorded_at, consent_text_version, created_at)
         SELECT $1, 'x', 'x', 'x', md5(n::text), md5(n::text), md5(n::text), 'mother', 'fr', $1, now(), 'v1', '2026-02-14T10:00:00Z'
         FROM generate_series(1, 6) n`,
        [organisations[0]!.id],
      );
    });
    const inserted = 6;
    expect(await enrolled()).toBe(before);
    await repository.rebuild(null);
    expect(await enrolled()).toBe((before ?? 0) + inserted);
  });

  it('keep writes working for an organisation whose zone Postgres does not know', async () => {
    const odd = await makeUnknownZoneOrganisation(dataSource, 'Odd');
    const parent = await reportParent(dataSource, odd, { createdAt: new Date('2026-02-01T00:30:00Z') });
    await reportInvitation(dataSource, parent, { dueAt: new Date('2026-02-08T09:00:00Z') });
    expect(await maintenance.run()).toMatchObject({ rebuiltOrganisations: 1 });
    const [zone] = await dataSource.query<{ time_zone: string; source_time_zone: string }[]>(
      `SELECT time_zone, source_time_zone FROM report_organisation_zones WHERE organisation_id = $1`,
      [odd.id],
    );
    expect(zone).toEqual({ time_zone: 'Europe/Paris', source_time_zone: 'Mars/Olympus' });
    expect(await maintenance.run()).toMatchObject({ rebuiltOrganisations: 0 });
    await expectPlatformTotalsToMatch(dataSource);
    const rows = await dataSource.query<unknown[]>(
      `SELECT day::text, subject, c1 FROM report_daily WHERE organisation_id = $1 ORDER BY subject`,
      [odd.id],
    );
    expect(rows).toEqual([
      { day: '2026-02-08', subject: 'invitations', c1: 1 },
      { day: '2026-02-01', subject: 'parents', c1: 1 },
    ]);
  });

  it('are kept by the worker: its scheduler runs the maintenance', async () => {
    // Deltas written before the worker starts: its own start-up run may compact them at once, so they are
    // counted while no worker runs (checked after it started, they could already be gone).
    await reportParent(dataSource, organisations[0]!, { createdAt: new Date('2026-02-20T10:00:00Z') });
    expect(await repository.pendingDeltas()).toBeGreaterThan(0);
    const worker = await createTestWorker(environment);
    try {
      // The worker's own start-up run may hold the rollup lock (a busy tick compacts nothing) or add deltas of
      // its own (reconcilers): the scheduler's ticks empty the deltas within a few attempts.
      let pending = -1;
      for (let attempt = 0; attempt < 50 && pending !== 0; attempt += 1) {
        await runScheduledJob(worker, 'maintenance.rollup');
        pending = await repository.pendingDeltas();
        if (pending !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(pending).toBe(0);
    } finally {
      await worker.close();
    }
  });
});
