/**
 * Dashboard list at scale: seeds 300,000 alerts (and their parents) over 200 organisations with INSERT … SELECT,
 * then times the exact queries of GET /api/alerts (page + counts per severity) for one organisation and checks
 * with EXPLAIN that they are index-backed. Target: p95 < 20 ms.
 */
import { loadavg } from 'node:os';
import { ALERT_STATUSES } from '@lien/shared';
import { createDataSource } from '../database/data-source.js';
import { migrateWithLock } from '../database/migrate.js';
import { AlertsRepository, type AlertListFilters } from '../modules/alerts/alerts.repository.js';
import { databaseUrl, dropTestDatabase, withServer } from '../testing/test-database.js';
import { timeRuns } from './bench-kit.js';

const ORGANISATIONS = 200;
const ALERTS = 300_000;
const RUNS = 500;
const WARMUP = 30;

/** A query timed RUNS times after WARMUP untimed runs, in ms to 0.01. */
const time = (runs: number, work: () => Promise<unknown>) => timeRuns(runs, WARMUP, work, 2);

export async function run(): Promise<Record<string, number | string>> {
  const name = `lien_bench_alerts_${Date.now()}`;
  await withServer(async (client) => void (await client.query(`CREATE DATABASE "${name}"`)));
  // Two connections at least: migrateWithLock holds one for the advisory lock.
  const dataSource = createDataSource({
    url: databaseUrl(name),
    applicationName: 'lien-bench-alerts',
    poolSize: 4,
  });
  try {
    await dataSource.initialize();
    await migrateWithLock(dataSource);

    const seedStart = Date.now();
    await dataSource.query(
      `INSERT INTO organisations (id, name, kind, departement, region, time_zone, sms_sender, settings)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'Organisation ' || i, 'pmi', '62', 'Hauts-de-France',
              'Europe/Paris', 'Lien', '{}'::jsonb
         FROM generate_series(1, $1) AS i`,
      [ORGANISATIONS],
    );
    await dataSource.query(
      `INSERT INTO parents (id, organisation_id, first_name_enc, last_name_enc, phone_enc, phone_index, last_name_index, first_name_index,
                            role, language, birth_date, consent_recorded_by, consent_recorded_at, consent_text_version, status, created_at)
       SELECT ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
              ('00000000-0000-4000-8000-' || lpad(to_hex(1 + i % $2), 12, '0'))::uuid,
              'v1.1.x.x.x', 'v1.1.x.x.x', 'v1.1.x.x.x', md5('p' || i), md5('l' || i), md5('f' || i),
              (ARRAY['mother','father','co_parent'])[1 + i % 3], 'fr', DATE '2025-01-01' + (i % 400),
              gen_random_uuid(), now(), 'v1', 'active', now() - (i % 400) * interval '1 day'
         FROM generate_series(1, $1) AS i`,
      [ALERTS, ORGANISATIONS],
    );
    // ~25% of alerts still active (spread over the six active statuses), the rest closed; severities mixed;
    // deadlines spread over a year so that the dashboard sorts real data.
    await dataSource.query(
      `INSERT INTO alerts (organisation_id, parent_id, severity, severity_rank, reasons, status, assignee_id,
                           acknowledge_due_at, contact_due_at, created_at, updated_at, closed_at, outcome)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(1 + i % $2), 12, '0'))::uuid,
              ('10000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
              (ARRAY['urgent','high','moderate','low'])[1 + abs(hashtext('s' || i)) % 4], abs(hashtext('s' || i)) % 4,
              ARRAY['moderate_score']::varchar[],
              CASE WHEN abs(hashtext('a' || i)) % 4 = 0 THEN (ARRAY['open','acknowledged','contacted','unreachable','referred','in_care'])[1 + abs(hashtext('t' || i)) % 6] ELSE 'closed' END,
              NULL,
              now() - (i % 365) * interval '1 day' + interval '4 hours',
              now() - (i % 365) * interval '1 day' + ((i % 7) + 1) * interval '1 day',
              now() - (i % 365) * interval '1 day', now() - (i % 365) * interval '1 day',
              CASE WHEN abs(hashtext('a' || i)) % 4 = 0 THEN NULL ELSE now() - (i % 365) * interval '1 day' + interval '3 days' END,
              CASE WHEN abs(hashtext('a' || i)) % 4 = 0 THEN NULL ELSE 'in_care' END
         FROM generate_series(1, $1) AS i`,
      [ALERTS, ORGANISATIONS],
    );
    // As autovacuum would have left the table: visibility map set, statistics fresh.
    await dataSource.query('VACUUM ANALYZE alerts');
    await dataSource.query('ANALYZE');
    const seedSeconds = Math.round((Date.now() - seedStart) / 100) / 10;

    const organisationId = '00000000-0000-4000-8000-' + (42).toString(16).padStart(12, '0');
    const repository = new AlertsRepository(dataSource);
    const active = ALERT_STATUSES.filter((status) => status !== 'closed');
    const dashboard: AlertListFilters = {
      statuses: active,
      severities: null,
      assignee: null,
      overdue: null,
      now: new Date(),
      offset: 0,
      limit: 25,
    };
    const overdue: AlertListFilters = { ...dashboard, overdue: true };
    const urgentOnly: AlertListFilters = { ...dashboard, severities: ['urgent', 'high'] };
    const closedPage3: AlertListFilters = { ...dashboard, statuses: ['closed'], offset: 50 };

    const [counts] = await dataSource.query<{ n: number; active: number }[]>(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE status <> 'closed'))::int AS active FROM alerts WHERE organisation_id = $1`,
      [organisationId],
    );

    const list = (filters: AlertListFilters) => repository.list(organisationId, filters);
    const full = await time(RUNS, () => list(dashboard));
    const withOverdue = await time(RUNS, () => list(overdue));
    const severities = await time(RUNS, () => list(urgentOnly));
    const closed = await time(RUNS, () => list(closedPage3));

    const explain = async (filters: AlertListFilters, which: 'page' | 'count'): Promise<string> => {
      const query =
        which === 'page'
          ? repository.pageQuery(organisationId, filters)
          : repository.countQuery(organisationId, filters);
      const [sql, parameters] = query.getQueryAndParameters();
      const rows = await dataSource.query<{ 'QUERY PLAN': string }[]>(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
        parameters,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    };
    const pagePlan = await explain(dashboard, 'page');
    const countPlan = await explain(dashboard, 'count');
    const executionMs = (plan: string): number =>
      Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
    // The same two statements through the driver only (no entity hydration): what Postgres and the wire cost.
    const [pageSql, pageParameters] = repository.pageQuery(organisationId, dashboard).getQueryAndParameters();
    const [countSql, countParameters] = repository
      .countQuery(organisationId, dashboard)
      .getQueryAndParameters();
    const raw = await time(RUNS, async () => {
      await dataSource.query(pageSql, pageParameters);
      await dataSource.query(countSql, countParameters);
    });
    const indexOf = (plan: string): string =>
      /Index (?:Only )?Scan using (\w+)|Bitmap Index Scan on (\w+)/.exec(plan)?.slice(1).find(Boolean) ??
      'SEQ SCAN';
    if (process.env.BENCH_VERBOSE) console.log(`${pagePlan}\n\n${countPlan}`);

    return {
      alerts_seeded: ALERTS,
      organisations: ORGANISATIONS,
      alerts_in_measured_organisation: counts?.n ?? 0,
      active_alerts_in_measured_organisation: counts?.active ?? 0,
      seed_seconds: seedSeconds,
      runs: RUNS,
      dashboard_list_p50_ms: full.p50,
      dashboard_list_p95_ms: full.p95,
      dashboard_list_max_ms: full.max,
      overdue_list_p95_ms: withOverdue.p95,
      severity_filter_list_p95_ms: severities.p95,
      closed_page3_list_p95_ms: closed.p95,
      dashboard_raw_sql_p95_ms: raw.p95,
      page_query_db_execution_ms: executionMs(pagePlan),
      count_query_db_execution_ms: executionMs(countPlan),
      machine_load_average_1m: Math.round(loadavg()[0]! * 100) / 100,
      target_p95_ms: 20,
      page_query_index: indexOf(pagePlan),
      count_query_index: indexOf(countPlan),
      page_query_seq_scan: /Seq Scan/.test(pagePlan) ? 'yes' : 'no',
    };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropTestDatabase(name);
  }
}
