/**
 * Reports at national scale. Seeds (once) a database `lien_bench_reports` with 1,000 organisations over 100
 * départements, 2.4 million parents, 4.8 million invitations, ~6 million SMS, ~3 million responses and
 * 300,000 alerts over 24 months, server-side with INSERT … SELECT FROM generate_series (triggers off), builds
 * the rollups with report_rebuild(), then times ReportsService.summary() (the whole service path: scope,
 * rollup queries, indicators, suppression) for one département and for all of France over 12 months.
 * Targets: p95 < 100 ms (département) and < 500 ms (France).
 *
 * The seeded database is kept and reused by the next run; `--reseed` (or BENCH_RESEED=1) rebuilds it.
 * Standalone: `node dist/backend/backend/src/bench/reports.bench.js [--reseed]`.
 */
import { loadavg } from 'node:os';
import pg from 'pg';
import {
  FRENCH_REGIONS,
  defaultTimeZoneOfDepartement,
  type ReportQuery,
  type ReportSummary,
} from '@lien/shared';
import type { AuthUser } from '../common/auth/auth-user.js';
import { FixedClock } from '../common/clock.js';
import { createDataSource } from '../database/data-source.js';
import { migrateWithLock } from '../database/migrate.js';
import { AuditRepository } from '../modules/audit/audit.repository.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { ReportsRepository } from '../modules/reports/reports.repository.js';
import { ReportsService } from '../modules/reports/reports.service.js';
import { runWhenMain, timeRuns } from './bench-kit.js';

/** BENCH_REPORTS_SCALE=0.01 seeds 1 % of the volumes into another database, to try the bench quickly. */
const SCALE = Number(process.env.BENCH_REPORTS_SCALE ?? '1') || 1;
const DATABASE =
  SCALE === 1 ? 'lien_bench_reports' : `lien_bench_reports_scale_${String(SCALE).replace(/\W/g, '_')}`;
/** Bump when the seed changes: an older seeded database is then rebuilt. */
const SEED_VERSION = 'reports-seed-v2';
const ORGANISATIONS = 1_000;
const PARENTS = Math.round(2_400_000 * SCALE);
const ALERTS = Math.round(300_000 * SCALE);
const FIRST_DAY = '2024-04-01';
const DAYS = 730;
/** "Now" for the seeded data: invitations due after it are still planned. */
const NOW = '2026-04-01T00:00:00Z';
const WARMUP = 5;
const SEEDED_TABLES = ['organisations', 'parents', 'invitations', 'sms_messages', 'responses', 'alerts'];

function serverUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  return url.toString();
}

function databaseUrl(): string {
  const url = new URL(serverUrl());
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A query timed RUNS times after WARMUP untimed runs, in ms to 0.1. */
const time = (runs: number, work: () => Promise<unknown>) => timeRuns(runs, WARMUP, work, 1);

const seconds = (since: number): number => Math.round((Date.now() - since) / 100) / 10;

/** A deterministic UUID per table (first digit) and row number: sequential keys load fast. */
const uid = (prefix: number, expression: string): string =>
  `('${prefix}0000000-0000-4000-8000-' || lpad(to_hex(${expression}), 12, '0'))::uuid`;
/** A pseudo-random integer in [0, modulo) from a row number and a salt. */
const hash = (expression: string, salt: number, modulo: number): string =>
  `((hashint8((${expression})::bigint + ${salt}::bigint * 100000000000) & 2147483647) % ${modulo})`;

/** The seed, statement by statement (triggers and foreign-key checks off: session_replication_role = replica). */
function seedStatements(
  departements: { code: string; region: string; zone: string }[],
): { label: string; sql: string; parameters?: unknown[] }[] {
  const step = (DAYS * 86_400) / PARENTS;
  return [
    {
      label: 'organisations',
      sql: `INSERT INTO organisations (id, name, kind, departement, region, time_zone, sms_sender, settings, created_at, updated_at)
            SELECT ${uid(0, 'k')}, 'Organisation ' || k, CASE WHEN k % 3 = 0 THEN 'maternity' ELSE 'pmi' END,
                   d.code, d.region, d.zone, 'Lien', '{}'::jsonb, '2024-01-01', '2024-01-01'
            FROM generate_series(1, ${ORGANISATIONS}) k
            JOIN unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY d(code, region, zone, n) ON d.n = 1 + (k - 1) % ${departements.length}`,
      parameters: [
        departements.map((d) => d.code),
        departements.map((d) => d.region),
        departements.map((d) => d.zone),
      ],
    },
    {
      label: 'parents',
      sql: `INSERT INTO parents (id, organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, last_name_index, first_name_index,
                                 role, language, birth_date, consent_recorded_by, consent_recorded_at, consent_text_version,
                                 status, status_changed_at, created_at, updated_at)
            SELECT ${uid(1, 'i')}, ${uid(0, `1 + ${hash('i', 7919, ORGANISATIONS)}`)}, 'x', 'x', 'x', 'p' || i, 'l' || i, 'f' || i,
                   CASE WHEN ${hash('i', 37, 100)} < 55 THEN 'mother' WHEN ${hash('i', 37, 100)} < 95 THEN 'father' ELSE 'co_parent' END,
                   'fr', c.at::date, ${uid(9, '1')}, c.at, 'v1',
                   CASE WHEN ${hash('i', 53, 1000)} < 20 THEN 'opted_out' WHEN ${hash('i', 53, 1000)} < 30 THEN 'withdrawn' ELSE 'active' END,
                   CASE WHEN ${hash('i', 53, 1000)} < 30 THEN c.at + interval '10 days' END, c.at, c.at
            FROM generate_series(1, ${PARENTS}) i
            CROSS JOIN LATERAL (SELECT timestamptz '${FIRST_DAY} 00:00:00+00' + make_interval(secs => i * ${step})) c(at)`,
    },
    {
      // Two waves per parent; the outcome of each invitation is drawn from its number.
      label: 'invitations',
      sql: `INSERT INTO invitations (id, organisation_id, parent_id, wave, due_at, status, sent_at, expires_at, opened_at, completed_at, created_at, updated_at)
            SELECT ${uid(2, 'j')}, p.organisation_id, p.id, w.wave, due, s.status,
                   CASE WHEN s.status IN ('planned', 'cancelled') THEN NULL ELSE due END, due + interval '7 days',
                   CASE WHEN s.status IN ('completed') OR (s.status = 'expired' AND s.o < 720) THEN due + interval '2 hours' END,
                   CASE WHEN s.status = 'completed' THEN due + interval '3 hours' END,
                   p.created_at, p.created_at
            FROM generate_series(1, ${PARENTS}) i
            CROSS JOIN (VALUES (1, 'day7', 7), (2, 'day42', 42)) w(k, wave, days)
            CROSS JOIN LATERAL (SELECT ${uid(1, 'i')} AS id, ${uid(0, `1 + ${hash('i', 7919, ORGANISATIONS)}`)} AS organisation_id,
                                       timestamptz '${FIRST_DAY} 00:00:00+00' + make_interval(secs => i * ${step}) AS created_at) p
            CROSS JOIN LATERAL (SELECT 2 * (i - 1) + w.k AS j, p.created_at + w.days * interval '1 day' AS due) n(j, due)
            CROSS JOIN LATERAL (SELECT ${hash('n.j', 7877, 1000)} AS o) r
            CROSS JOIN LATERAL (SELECT r.o, CASE WHEN n.due > timestamptz '${NOW}' THEN 'planned'
                                                 WHEN r.o < 647 THEN 'completed' WHEN r.o < 940 THEN 'expired'
                                                 WHEN r.o < 970 THEN 'sent' ELSE 'cancelled' END AS status) s`,
    },
    {
      label: 'sms_messages',
      sql: `INSERT INTO sms_messages (id, organisation_id, parent_id, invitation_id, kind, due_at, status, segments, encoding, attempts, sent_at, created_at, updated_at)
            SELECT ${uid(3, `2 * n.j - 2 + k.k`)}, i.organisation_id, i.parent_id, i.id, k.kind, k.due,
                   CASE WHEN s.o < 92 THEN 'delivered' WHEN s.o < 96 THEN 'undelivered' WHEN s.o < 98 THEN 'failed' ELSE 'sent' END,
                   CASE WHEN s.o < 96 OR s.o >= 98 THEN k.segments END, 'GSM-7', 1, k.due, i.created_at, k.due
            FROM invitations i
            CROSS JOIN LATERAL (SELECT ('x' || right(i.id::text, 12))::bit(48)::bigint AS j) n
            CROSS JOIN LATERAL (VALUES (1, 'invitation', i.sent_at, 1), (2, 'reminder', i.sent_at + interval '2 days', 2)) k(k, kind, due, segments)
            CROSS JOIN LATERAL (SELECT ${hash('n.j * 2 + k.k', 5003, 100)} AS o) s
            WHERE i.sent_at IS NOT NULL AND (k.k = 1 OR i.status = 'expired')`,
    },
    {
      label: 'responses',
      sql: `INSERT INTO responses (id, organisation_id, parent_id, invitation_id, wave, parent_role, instrument_id, instrument_version, language,
                                   channel, answers, item_points, score, band, item10_positive, anxiety_score, anxiety_flag, created_at)
            SELECT ${uid(4, 'n.j')}, i.organisation_id, i.parent_id, i.id, i.wave, p.role, 'epds', '1', 'fr', 'web_form',
                   '{0,0,0,0,0,0,0,0,0,0}', '{0,0,0,0,0,0,0,0,0,0}',
                   CASE WHEN b.o < 750 THEN 5 WHEN b.o < 870 THEN 11 ELSE 15 END,
                   CASE WHEN b.o < 750 THEN 'low' WHEN b.o < 870 THEN 'moderate' ELSE 'high' END,
                   ${hash('n.j', 3001, 100)} < 3, 3, ${hash('n.j', 4001, 100)} < 15, i.completed_at
            FROM invitations i JOIN parents p ON p.id = i.parent_id
            CROSS JOIN LATERAL (SELECT ('x' || right(i.id::text, 12))::bit(48)::bigint AS j) n
            CROSS JOIN LATERAL (SELECT ${hash('n.j', 6007, 1000)} AS o) b
            WHERE i.status = 'completed'`,
    },
    {
      // Alerts from positive day-7 answers (one per parent at most): mostly closed, some still active.
      label: 'alerts',
      sql: `INSERT INTO alerts (id, organisation_id, parent_id, severity, severity_rank, reasons, status, acknowledge_due_at, contact_due_at,
                                acknowledged_at, first_contact_at, referred_at, in_care_at, closed_at, outcome, created_at, updated_at)
            SELECT ${uid(5, 'row_number() OVER ()')}, r.organisation_id, r.parent_id, v.severity, v.rank, v.reasons,
                   CASE WHEN c.closed THEN 'closed' WHEN a.o < 28 THEN 'in_care' WHEN a.o < 45 THEN 'referred' WHEN a.o < 85 THEN 'contacted' ELSE 'open' END,
                   at + interval '4 hours', at + interval '1 day',
                   CASE WHEN a.o < 85 THEN at + interval '30 minutes' END,
                   CASE WHEN a.o < 85 THEN at + make_interval(mins => ${hash('n.j', 101, 4320)}::int) END,
                   CASE WHEN a.o < 45 THEN at + interval '3 days' END,
                   CASE WHEN a.o < 28 THEN at + interval '10 days' END,
                   CASE WHEN c.closed THEN at + interval '20 days' END,
                   CASE WHEN NOT c.closed THEN NULL WHEN a.o < 28 THEN 'in_care' WHEN a.o < 50 THEN 'declined'
                        WHEN a.o < 70 THEN 'false_alarm' WHEN a.o < 85 THEN 'moved' ELSE 'unreachable' END,
                   at, at
            FROM responses r
            CROSS JOIN LATERAL (SELECT ('x' || right(r.id::text, 12))::bit(48)::bigint AS j, r.created_at + interval '1 minute' AS at) n
            CROSS JOIN LATERAL (SELECT ${hash('n.j', 17, 100)} AS o) a
            CROSS JOIN LATERAL (SELECT n.at < timestamptz '2026-03-01' AND a.o < 90 AS closed) c
            CROSS JOIN LATERAL (SELECT CASE WHEN r.item10_positive THEN 'urgent' WHEN r.band = 'high' THEN 'high' ELSE 'moderate' END AS severity,
                                       CASE WHEN r.item10_positive THEN 0 WHEN r.band = 'high' THEN 1 ELSE 2 END AS rank,
                                       CASE WHEN r.item10_positive THEN ARRAY['item10']::varchar[] WHEN r.band = 'high' THEN ARRAY['high_score']::varchar[]
                                            ELSE ARRAY['moderate_score']::varchar[] END AS reasons) v
            WHERE r.wave = 'day7' AND (r.band <> 'low' OR r.item10_positive) AND ${hash('n.j', 31, 5)} <> 0
            LIMIT ${ALERTS}`,
    },
  ];
}

async function seed(): Promise<Record<string, number>> {
  await onServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${DATABASE}"`);
  });
  const dataSource = createDataSource({
    url: databaseUrl(),
    applicationName: 'lien-bench-reports-seed',
    poolSize: 3,
  });
  await dataSource.initialize();
  const timings: Record<string, number> = {};
  try {
    await migrateWithLock(dataSource);
    const started = Date.now();
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await runner.query(`SET synchronous_commit = off`);
      await runner.query(`SET work_mem = '512MB'`);
      await runner.query(`SET maintenance_work_mem = '1GB'`);
      await runner.query(`SET jit = off`);
      const departements = Object.entries(FRENCH_REGIONS)
        .flatMap(([region, codes]) =>
          codes.map((code) => ({ code, region, zone: defaultTimeZoneOfDepartement(code) })),
        )
        .filter((d) => d.code !== '976')
        .sort((a, b) => a.code.localeCompare(b.code));
      // Secondary indexes are dropped during the load and built afterwards (much faster than row by row).
      const indexes = (await runner.query(
        `SELECT i.indexname, i.indexdef FROM pg_indexes i
         WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
        [SEEDED_TABLES],
      )) as { indexname: string; indexdef: string }[];
      for (const index of indexes) await runner.query(`DROP INDEX "${index.indexname}"`);
      for (const statement of seedStatements(departements)) {
        const start = Date.now();
        await runner.query(statement.sql, statement.parameters);
        timings[`seed_${statement.label}_seconds`] = seconds(start);
        console.log(`  seeded ${statement.label} in ${timings[`seed_${statement.label}_seconds`]} s`);
      }
      const indexing = Date.now();
      for (const index of indexes) await runner.query(index.indexdef);
      timings.seed_indexes_seconds = seconds(indexing);
      await runner.query(`SET session_replication_role = origin`);
      const vacuum = Date.now();
      await runner.query('VACUUM ANALYZE');
      timings.seed_vacuum_analyze_seconds = seconds(vacuum);
    } finally {
      await runner.release();
    }
    timings.seed_seconds = seconds(started);

    const build = Date.now();
    await new ReportsRepository(dataSource).rebuild(null);
    // The seed wrote with triggers off: the births and answers tables are built from scratch too.
    await dataSource.query('SELECT report_screening_rebuild(NULL)');
    await dataSource.query('VACUUM ANALYZE report_daily');
    await dataSource.query('VACUUM ANALYZE report_monthly');
    await dataSource.query('VACUUM ANALYZE report_contact_times');
    await dataSource.query('VACUUM ANALYZE report_birth_households');
    await dataSource.query('VACUUM ANALYZE report_screened_answers');
    timings.rollup_build_seconds = seconds(build);
    console.log(`  rollups built in ${timings.rollup_build_seconds} s`);

    await dataSource.query(
      `CREATE TABLE bench_seed (version text PRIMARY KEY, seeded_at timestamptz NOT NULL, timings jsonb NOT NULL)`,
    );
    await dataSource.query(`INSERT INTO bench_seed VALUES ($1, now(), $2)`, [
      SEED_VERSION,
      JSON.stringify(timings),
    ]);
    return timings;
  } finally {
    await dataSource.destroy();
  }
}

/** The timings of the existing seed, or null when the database is missing, older or unfinished. */
async function existingSeed(): Promise<Record<string, number> | null> {
  const exists = await onServer(
    async (client) =>
      (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])).rowCount,
  );
  if (!exists) return null;
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const result = await client.query<{ timings: Record<string, number> }>(
      `SELECT timings FROM bench_seed WHERE version = $1`,
      [SEED_VERSION],
    );
    return result.rows[0]?.timings ?? null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

export async function run(): Promise<Record<string, number | string>> {
  const reseed = process.argv.includes('--reseed') || process.env.BENCH_RESEED === '1';
  let timings = reseed ? null : await existingSeed();
  const reused = timings !== null;
  if (!timings) {
    console.log(`Seeding ${DATABASE} (national scale; a few minutes)…`);
    timings = await seed();
  }

  const dataSource = createDataSource({
    url: databaseUrl(),
    applicationName: 'lien-bench-reports',
    poolSize: 4,
  });
  await dataSource.initialize();
  try {
    // Pending migrations (if the code moved on since the seed) apply to the kept database.
    await migrateWithLock(dataSource);
    const [sizes] = await dataSource.query<Record<string, number | string>[]>(
      `SELECT (SELECT count(*) FROM parents)::int AS parents, (SELECT count(*) FROM invitations)::int AS invitations,
              (SELECT count(*) FROM sms_messages)::int AS sms, (SELECT count(*) FROM responses)::int AS responses,
              (SELECT count(*) FROM alerts)::int AS alerts, (SELECT count(DISTINCT departement) FROM organisations)::int AS departements,
              (SELECT count(*) FROM organisations)::int AS organisations,
              (SELECT count(*) FROM report_daily)::int AS daily_rows, (SELECT count(*) FROM report_monthly)::int AS monthly_rows,
              pg_size_pretty(pg_database_size(current_database())) AS database_size`,
    );

    const clock = new FixedClock(new Date(NOW));
    const service = new ReportsService(
      new ReportsRepository(dataSource),
      clock,
      new AuditService(new AuditRepository(dataSource)),
    );
    const platform: AuthUser = {
      id: '90000000-0000-4000-8000-000000000001',
      role: 'platform_admin',
      organisationId: null,
      territory: { departements: [], region: null },
    };
    const coordinator: AuthUser = {
      ...platform,
      role: 'coordinator',
      territory: { departements: ['62'], region: null },
    };
    const summary = (user: AuthUser, query: ReportQuery): Promise<ReportSummary> =>
      service.summary(user, query);
    const year = { from: '2025-04-01', to: '2026-03-31' };
    const rolling = { from: '2025-03-15', to: '2026-03-14' };

    // Sanity: the national figure equals a direct count on the raw table (local days of each organisation).
    const national = await summary(platform, year);
    const [direct] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM parents p JOIN organisations o ON o.id = p.organisation_id
       WHERE (p.created_at AT TIME ZONE o.time_zone)::date BETWEEN $1 AND $2`,
      [year.from, year.to],
    );
    if (national.total.parents.enrolled.value !== direct?.n) {
      throw new Error(
        `rollups disagree with the raw table: ${national.total.parents.enrolled.value} vs ${direct?.n}`,
      );
    }

    const departement = await time(60, () => summary(coordinator, year));
    const departementByMonth = await time(60, () => summary(coordinator, { ...year, groupBy: 'month' }));
    const departementRolling = await time(60, () => summary(coordinator, rolling));
    const france = await time(30, () => summary(platform, year));
    const franceByMonth = await time(20, () => summary(platform, { ...year, groupBy: 'month' }));
    const franceRolling = await time(20, () => summary(platform, rolling));
    const franceByDepartement = await time(20, () => summary(platform, { ...year, groupBy: 'departement' }));
    const franceByOrganisation = await time(10, () =>
      summary(platform, { ...year, groupBy: 'organisation' }),
    );
    const region = await time(30, () =>
      summary(platform, { ...year, territory: 'region:Auvergne-Rhône-Alpes' }),
    );

    // Incremental upkeep through the triggers, then undone: 2,000 ad hoc invitations inserted one by one,
    // 10,000 SMS and 2,000 invitation status changes one by one; the compaction of what they left.
    const incremental = Date.now();
    const sample = await dataSource.query<{ id: string; organisation_id: string }[]>(
      `SELECT id, organisation_id FROM parents ORDER BY id LIMIT 2000`,
    );
    const adHoc: string[] = [];
    for (const parent of sample) {
      const [row] = await dataSource.query<{ id: string }[]>(
        `INSERT INTO invitations (organisation_id, parent_id, wave, due_at) VALUES ($1, $2, 'adhoc', timestamptz '2026-03-20 10:00+00')
         RETURNING id`,
        [parent.organisation_id, parent.id],
      );
      adHoc.push(row!.id);
    }
    const smsIds = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM sms_messages WHERE status = 'sent' ORDER BY id LIMIT 10000`,
    );
    for (const { id } of smsIds) {
      await dataSource.query(`UPDATE sms_messages SET status = 'delivered' WHERE id = $1`, [id]);
    }
    const sentIds = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM invitations WHERE status = 'sent' ORDER BY id LIMIT 2000`,
    );
    for (const { id } of sentIds) {
      await dataSource.query(
        `UPDATE invitations SET status = 'completed', completed_at = sent_at + interval '1 hour' WHERE id = $1`,
        [id],
      );
    }
    const writes = 2000 + smsIds.length + sentIds.length;
    const writesMs = Date.now() - incremental;
    const repository = new ReportsRepository(dataSource);
    const pending = await repository.pendingDeltas();
    const compactStart = Date.now();
    let compacted = 0;
    for (let moved = await repository.compact(50_000); moved > 0; moved = await repository.compact(50_000)) {
      compacted += moved;
    }
    const compactMs = Date.now() - compactStart;

    // What the trigger costs one single-row write: the same no-op update with the triggers on, then off.
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const probe = smsIds.slice(0, 2000).map((row) => row.id);
    const perWrite = async (): Promise<number> => {
      const start = process.hrtime.bigint();
      for (const id of probe) {
        await runner.query(`UPDATE sms_messages SET attempts = attempts WHERE id = $1`, [id]);
      }
      return Number(process.hrtime.bigint() - start) / 1e6 / probe.length;
    };
    const withTriggers = await perWrite();
    await runner.query(`SET session_replication_role = replica`);
    const withoutTriggers = await perWrite();
    await runner.query(`SET session_replication_role = origin`);
    await runner.release();

    for (const { id } of smsIds) {
      await dataSource.query(`UPDATE sms_messages SET status = 'sent' WHERE id = $1`, [id]);
    }
    for (const { id } of sentIds) {
      await dataSource.query(`UPDATE invitations SET status = 'sent', completed_at = NULL WHERE id = $1`, [
        id,
      ]);
    }
    await dataSource.query(`DELETE FROM invitations WHERE id = ANY($1::uuid[])`, [adHoc]);
    for (let moved = await repository.compact(50_000); moved > 0; moved = await repository.compact(50_000));
    const after = await summary(platform, year);
    if (JSON.stringify(after.total) !== JSON.stringify(national.total)) {
      throw new Error('the incremental round trip changed the national totals');
    }

    return {
      database: DATABASE,
      seed_reused: reused ? 'yes' : 'no',
      ...timings,
      ...sizes,
      departement_12_months_p50_ms: departement.p50,
      departement_12_months_p95_ms: departement.p95,
      departement_12_months_by_month_p95_ms: departementByMonth.p95,
      departement_rolling_12_months_p95_ms: departementRolling.p95,
      france_12_months_p50_ms: france.p50,
      france_12_months_p95_ms: france.p95,
      france_12_months_max_ms: france.max,
      france_12_months_by_month_p95_ms: franceByMonth.p95,
      france_rolling_12_months_p95_ms: franceRolling.p95,
      france_12_months_by_departement_p95_ms: franceByDepartement.p95,
      france_12_months_by_organisation_p95_ms: franceByOrganisation.p95,
      largest_region_12_months_p95_ms: region.p95,
      target_departement_p95_ms: 100,
      target_france_p95_ms: 500,
      national_parents_enrolled_12_months: national.total.parents.enrolled.value ?? 'suppressed',
      national_responses_12_months: national.total.responses.all.responses.value ?? 'suppressed',
      national_alerts_12_months: national.total.alerts.created.value ?? 'suppressed',
      incremental_single_row_writes: writes,
      incremental_writes_ms: writesMs,
      incremental_deltas_pending: pending,
      incremental_deltas_compacted: compacted,
      incremental_compaction_ms: compactMs,
      single_row_update_with_trigger_ms: Math.round(withTriggers * 1000) / 1000,
      single_row_update_without_trigger_ms: Math.round(withoutTriggers * 1000) / 1000,
      machine_load_average_1m: Math.round(loadavg()[0]! * 100) / 100,
    };
  } finally {
    await dataSource.destroy();
  }
}

runWhenMain(import.meta.url, run);
