import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report rollups, maintained incrementally by Postgres triggers.
 *
 * - `report_<source>_facts(...)`: what one source row contributes to the reports, as rows of
 *   (local day, subject, dim1, dim2, c1..c8). The meaning of the counters per subject is documented in
 *   backend/src/modules/reports/rollup-catalogue.ts, which reads them.
 * - Statement-level AFTER triggers (with transition tables) on parents, invitations, sms_messages, responses
 *   and alerts append the signed difference (new facts minus old facts) to `report_delta`. Inserting only,
 *   they never wait on other writers and cannot deadlock them; a statement touching many rows writes one
 *   aggregated delta.
 * - `report_compact(batch)` folds deltas into `report_daily` and `report_monthly` (one statement, so a
 *   reader sees the deltas either before or after), per organisation and into the platform total (the rows
 *   of organisation ffffffff-…, which national reports read); `report_rebuild(orgs)` recomputes from the
 *   source tables.
 * - Alerts also keep `report_contact_times` (one row per reached alert) for the median and p90.
 * - The SMS facts need the invitation's wave: a BEFORE DELETE trigger on invitations deletes its SMS first,
 *   while the invitation is still there to be read (the foreign-key cascade would run after it is gone).
 *
 * Days are local to the organisation, in the zone recorded in `report_organisation_zones` (Europe/Paris
 * until the compaction has checked the organisation's zone).
 */
const COUNTERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
const FACT_COLUMNS = `day date, subject varchar, dim1 varchar, dim2 varchar, ${COUNTERS.map((c) => `${c} integer`).join(', ')}`;
const SUMS = COUNTERS.map((c) => `sum(${c})::integer AS ${c}`).join(', ');
const NONZERO = COUNTERS.map((c) => `sum(${c}) <> 0`).join(' OR ');
const ROLLUP_LOCK_KEY = 7_310_555_801;
/** The platform total's rows in report_daily / report_monthly (every organisation summed): national reports read them. */
const PLATFORM = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** The zone of the row's organisation, from the join `z` every facts query has. */
const ZONE = `coalesce(z.time_zone, 'Europe/Paris')`;

/** The facts of each source table, for a row aliased `r` (plus the joins they need). */
export const SOURCES: Record<string, { facts: string; joins?: string }> = {
  parents: { facts: `report_parent_facts(${ZONE}, r.created_at, r.role, r.status, r.status_changed_at)` },
  invitations: {
    facts: `report_invitation_facts(${ZONE}, r.due_at, r.wave, r.status, r.sent_at, r.opened_at, r.completed_at)`,
  },
  sms_messages: {
    facts: `report_sms_facts(${ZONE}, r.due_at, r.kind, i.wave, r.status, r.segments)`,
    joins: `LEFT JOIN invitations i ON i.id = r.invitation_id`,
  },
  responses: {
    facts: `report_response_facts(${ZONE}, r.created_at, r.wave, r.parent_role, r.band, r.item10_positive, r.anxiety_flag)`,
  },
  alerts: {
    facts: `report_alert_facts(${ZONE}, r.created_at, r.severity, r.reasons, r.status, r.first_contact_at, r.referred_at, r.in_care_at, r.outcome)`,
  },
};

const ZONE_JOIN = `LEFT JOIN report_organisation_zones z ON z.organisation_id = r.organisation_id`;

function factsOf(table: string, rows: string, sign: 1 | -1): string {
  const source = SOURCES[table]!;
  const counters = COUNTERS.map((c) => (sign === 1 ? `f.${c}` : `-f.${c} AS ${c}`)).join(', ');
  return `SELECT f.day, r.organisation_id, f.subject, f.dim1, f.dim2, ${counters}
      FROM ${rows} r ${ZONE_JOIN} ${source.joins ?? ''} CROSS JOIN LATERAL ${source.facts} f`;
}

function deltaInsert(parts: string[]): string {
  return `INSERT INTO report_delta (day, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')})
      SELECT day, organisation_id, subject, dim1, dim2, ${SUMS}
      FROM (${parts.join('\n      UNION ALL ')}) x
      GROUP BY day, organisation_id, subject, dim1, dim2
      HAVING ${NONZERO};`;
}

const CONTACT_TIME_UPSERT = `INSERT INTO report_contact_times (alert_id, organisation_id, day, severity, positive, seconds)
      SELECT r.id, r.organisation_id, report_local_day(r.created_at, ${ZONE}), r.severity,
             report_alert_positive(r.reasons), greatest(0, round(extract(epoch FROM r.first_contact_at - r.created_at)))::integer
      FROM new_rows r ${ZONE_JOIN} WHERE r.first_contact_at IS NOT NULL
      ON CONFLICT (alert_id) DO UPDATE SET organisation_id = EXCLUDED.organisation_id, day = EXCLUDED.day,
        severity = EXCLUDED.severity, positive = EXCLUDED.positive, seconds = EXCLUDED.seconds
      WHERE (report_contact_times.organisation_id, report_contact_times.day, report_contact_times.severity,
             report_contact_times.positive, report_contact_times.seconds)
        IS DISTINCT FROM (EXCLUDED.organisation_id, EXCLUDED.day, EXCLUDED.severity, EXCLUDED.positive, EXCLUDED.seconds);`;

/** The trigger function of one source table (exported for the migrations that redefine it). */
export function trackFunction(table: string): string {
  const alerts = table === 'alerts';
  return `CREATE FUNCTION report_track_${table}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        ${deltaInsert([factsOf(table, 'new_rows', 1)])}
        ${alerts ? CONTACT_TIME_UPSERT : ''}
      ELSIF TG_OP = 'DELETE' THEN
        ${deltaInsert([factsOf(table, 'old_rows', -1)])}
        ${alerts ? 'DELETE FROM report_contact_times t USING old_rows r WHERE t.alert_id = r.id;' : ''}
      ELSE
        ${deltaInsert([factsOf(table, 'new_rows', 1), factsOf(table, 'old_rows', -1)])}
        ${alerts ? CONTACT_TIME_UPSERT : ''}
        ${alerts ? 'DELETE FROM report_contact_times t USING new_rows r WHERE t.alert_id = r.id AND r.first_contact_at IS NULL;' : ''}
      END IF;
      RETURN NULL;
    END $fn$`;
}

function triggers(table: string): string[] {
  const fn = `report_track_${table}()`;
  return [
    `CREATE TRIGGER report_${table}_insert AFTER INSERT ON "${table}" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
    `CREATE TRIGGER report_${table}_update AFTER UPDATE ON "${table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
    `CREATE TRIGGER report_${table}_delete AFTER DELETE ON "${table}" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}`,
  ];
}

function rebuildFacts(table: string): string {
  return `${factsOf(table, table, 1)} WHERE orgs IS NULL OR r.organisation_id = ANY(orgs)`;
}

const addExcluded = (alias: string) => COUNTERS.map((c) => `${c} = ${alias}.${c} + EXCLUDED.${c}`).join(', ');

/** Adds (sign 1) or removes (sign -1) the rollups of `orgs` (NULL: all) to or from the platform total. */
function platformTotal(sign: 1 | -1): string {
  const sums = COUNTERS.map((c) => `${sign} * sum(${c})`).join(', ');
  return ['report_daily', 'report_monthly']
    .map((table) => {
      const period = table === 'report_daily' ? 'day' : 'month';
      return `INSERT INTO ${table} AS t (${period}, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')})
          SELECT ${period}, '${PLATFORM}'::uuid, subject, dim1, dim2, ${sums} FROM ${table}
          WHERE organisation_id <> '${PLATFORM}' AND (orgs IS NULL OR organisation_id = ANY(orgs))
          GROUP BY ${period}, subject, dim1, dim2
          ON CONFLICT (${period}, organisation_id, subject, dim1, dim2) DO UPDATE SET ${addExcluded('t')};`;
    })
    .join('\n          ');
}

const COUNTER_DDL = COUNTERS.map((c) => `"${c}" integer NOT NULL DEFAULT '0'`).join(', ');

export class ReportRollups1763800500000 implements MigrationInterface {
  name = 'ReportRollups1763800500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);

    // Tables (as the entities in backend/src/modules/reports/rollup.entities.ts describe them).
    await run(
      `CREATE TABLE "report_delta" ("id" BIGSERIAL NOT NULL, "day" date NOT NULL, "organisation_id" uuid NOT NULL, "subject" character varying(16) NOT NULL, "dim1" character varying(20) NOT NULL DEFAULT '', "dim2" character varying(20) NOT NULL DEFAULT '', ${COUNTER_DDL}, CONSTRAINT "PK_ec039c0c03fe1cd226d972c813d" PRIMARY KEY ("id"))`,
    );
    await run(
      `CREATE TABLE "report_daily" ("day" date NOT NULL, "organisation_id" uuid NOT NULL, "subject" character varying(16) NOT NULL, "dim1" character varying(20) NOT NULL, "dim2" character varying(20) NOT NULL, ${COUNTER_DDL}, CONSTRAINT "PK_0cf8ff70113f73e79ef3c6738fb" PRIMARY KEY ("day", "organisation_id", "subject", "dim1", "dim2"))`,
    );
    await run(`CREATE INDEX "IDX_721683d19e5b65547bc9e58aef" ON "report_daily"  ("organisation_id", "day") `);
    await run(
      `CREATE TABLE "report_monthly" ("month" date NOT NULL, "organisation_id" uuid NOT NULL, "subject" character varying(16) NOT NULL, "dim1" character varying(20) NOT NULL, "dim2" character varying(20) NOT NULL, ${COUNTER_DDL}, CONSTRAINT "PK_c963548cdaac3570a93c3e2040f" PRIMARY KEY ("month", "organisation_id", "subject", "dim1", "dim2"))`,
    );
    await run(
      `CREATE INDEX "IDX_046e988eb6f767c481c499aa5e" ON "report_monthly"  ("organisation_id", "month") `,
    );
    await run(
      `CREATE TABLE "report_contact_times" ("alert_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "day" date NOT NULL, "severity" character varying(16) NOT NULL, "positive" boolean NOT NULL, "seconds" integer NOT NULL, CONSTRAINT "PK_5b9f942f33954936b442f2e0937" PRIMARY KEY ("alert_id"))`,
    );
    await run(
      `CREATE INDEX "IDX_686b4d19e692886587ac4bfaa3" ON "report_contact_times"  ("organisation_id", "day") `,
    );
    await run(
      `CREATE TABLE "report_organisation_zones" ("organisation_id" uuid NOT NULL, "time_zone" character varying(64) NOT NULL, "source_time_zone" character varying(64) NOT NULL, "rebuilt_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a6bb5d92b6cff4c92d884b7529f" PRIMARY KEY ("organisation_id"))`,
    );

    // Helpers.
    await run(`CREATE FUNCTION report_local_day(ts timestamptz, tz varchar) RETURNS date LANGUAGE sql IMMUTABLE AS $fn$
      SELECT (ts AT TIME ZONE tz)::date
    $fn$`);
    await run(`CREATE FUNCTION report_alert_positive(reasons varchar[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
      SELECT coalesce(reasons && ARRAY['item10', 'high_score', 'moderate_score']::varchar[], false)
    $fn$`);

    // Facts: what one row contributes. Counters per subject: see rollup-catalogue.ts.
    await run(`CREATE FUNCTION report_parent_facts(tz varchar, p_created_at timestamptz, p_role varchar, p_status varchar,
        p_status_changed_at timestamptz) RETURNS TABLE (${FACT_COLUMNS}) LANGUAGE sql IMMUTABLE AS $fn$
      SELECT report_local_day(p_created_at, tz), 'parents'::varchar, p_role, ''::varchar, 1, 0, 0, 0, 0, 0, 0, 0
      UNION ALL
      SELECT report_local_day(coalesce(p_status_changed_at, p_created_at), tz), 'parents'::varchar, p_role, ''::varchar,
             0, (p_status = 'opted_out')::integer, (p_status = 'withdrawn')::integer, 0, 0, 0, 0, 0
      WHERE p_status IN ('opted_out', 'withdrawn')
    $fn$`);
    await run(`CREATE FUNCTION report_invitation_facts(tz varchar, p_due_at timestamptz, p_wave varchar, p_status varchar,
        p_sent_at timestamptz, p_opened_at timestamptz, p_completed_at timestamptz) RETURNS TABLE (${FACT_COLUMNS}) LANGUAGE sql IMMUTABLE AS $fn$
      SELECT report_local_day(p_due_at, tz), 'invitations'::varchar, p_wave, ''::varchar,
             (p_status NOT IN ('cancelled', 'skipped'))::integer,
             (p_sent_at IS NOT NULL OR p_opened_at IS NOT NULL OR p_completed_at IS NOT NULL)::integer,
             (p_opened_at IS NOT NULL OR p_completed_at IS NOT NULL)::integer,
             (p_completed_at IS NOT NULL)::integer,
             (p_status = 'expired')::integer,
             (p_status IN ('cancelled', 'skipped'))::integer, 0, 0
    $fn$`);
    await run(`CREATE FUNCTION report_sms_facts(tz varchar, p_due_at timestamptz, p_kind varchar, p_wave varchar, p_status varchar,
        p_segments integer) RETURNS TABLE (${FACT_COLUMNS}) LANGUAGE sql IMMUTABLE AS $fn$
      SELECT report_local_day(p_due_at, tz), 'sms'::varchar, p_kind, coalesce(p_wave, '')::varchar,
             (p_status <> 'cancelled')::integer,
             (p_status IN ('queued', 'sent', 'delivered', 'undelivered'))::integer,
             (p_status = 'delivered')::integer,
             (p_status = 'undelivered')::integer,
             (p_status = 'failed')::integer,
             CASE WHEN p_status IN ('queued', 'sent', 'delivered', 'undelivered') THEN coalesce(p_segments, 0) ELSE 0 END,
             0, 0
    $fn$`);
    await run(`CREATE FUNCTION report_response_facts(tz varchar, p_created_at timestamptz, p_wave varchar, p_role varchar, p_band varchar,
        p_item10 boolean, p_anxiety boolean) RETURNS TABLE (${FACT_COLUMNS}) LANGUAGE sql IMMUTABLE AS $fn$
      SELECT report_local_day(p_created_at, tz), 'responses'::varchar, p_wave, p_role,
             1, (p_band = 'low')::integer, (p_band = 'moderate')::integer, (p_band = 'high')::integer,
             p_item10::integer, p_anxiety::integer, (p_band IN ('moderate', 'high') OR p_item10)::integer, 0
    $fn$`);
    await run(`CREATE FUNCTION report_alert_facts(tz varchar, p_created_at timestamptz, p_severity varchar, p_reasons varchar[],
        p_status varchar, p_first_contact_at timestamptz, p_referred_at timestamptz, p_in_care_at timestamptz, p_outcome varchar)
        RETURNS TABLE (${FACT_COLUMNS}) LANGUAGE sql IMMUTABLE AS $fn$
      SELECT report_local_day(p_created_at, tz), 'alerts'::varchar, p_severity,
             (CASE WHEN p_status = 'closed' THEN coalesce(p_outcome, '') ELSE '' END)::varchar,
             1,
             positive::integer,
             (p_first_contact_at IS NOT NULL)::integer,
             (positive AND p_first_contact_at IS NOT NULL)::integer,
             (p_referred_at IS NOT NULL)::integer,
             in_care::integer,
             (positive AND in_care)::integer,
             (p_status = 'closed')::integer
      FROM (SELECT report_alert_positive(p_reasons) AS positive,
                   (p_in_care_at IS NOT NULL OR p_outcome IS NOT DISTINCT FROM 'in_care') AS in_care) x
    $fn$`);

    // Triggers.
    for (const table of Object.keys(SOURCES)) {
      await run(trackFunction(table));
      for (const statement of triggers(table)) await run(statement);
    }
    await run(`CREATE FUNCTION report_invitation_deleting() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM sms_messages WHERE invitation_id = OLD.id;
        RETURN OLD;
      END $fn$`);
    await run(
      `CREATE TRIGGER report_invitations_delete_sms_first BEFORE DELETE ON "invitations" FOR EACH ROW EXECUTE FUNCTION report_invitation_deleting()`,
    );

    // Compaction: folds up to `batch` deltas into the daily and monthly rollups, per organisation and for the
    // platform total. Returns how many it moved, or -1 when another compaction or a rebuild holds the lock.
    await run(`CREATE FUNCTION report_compact(batch integer) RETURNS integer LANGUAGE plpgsql AS $fn$
      DECLARE moved integer;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(${ROLLUP_LOCK_KEY}) THEN RETURN -1; END IF;
        WITH taken AS (
          DELETE FROM report_delta WHERE id IN (SELECT id FROM report_delta ORDER BY id LIMIT batch)
          RETURNING day, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')}
        ), days AS (
          SELECT day, organisation_id, subject, dim1, dim2, ${SUMS}, count(*) AS n
          FROM taken GROUP BY day, organisation_id, subject, dim1, dim2
        ), keyed AS (
          SELECT day, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')} FROM days
          UNION ALL
          SELECT day, '${PLATFORM}'::uuid, subject, dim1, dim2, ${SUMS} FROM days GROUP BY day, subject, dim1, dim2
        ), daily AS (
          INSERT INTO report_daily AS d (day, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')})
          SELECT day, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')} FROM keyed
          ON CONFLICT (day, organisation_id, subject, dim1, dim2) DO UPDATE SET ${addExcluded('d')}
        ), monthly AS (
          INSERT INTO report_monthly AS m (month, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')})
          SELECT date_trunc('month', day)::date, organisation_id, subject, dim1, dim2, ${SUMS}
          FROM keyed GROUP BY 1, 2, 3, 4, 5
          ON CONFLICT (month, organisation_id, subject, dim1, dim2) DO UPDATE SET ${addExcluded('m')}
        )
        SELECT coalesce(sum(n), 0) INTO moved FROM days;
        RETURN moved;
      END $fn$`);

    // Rebuild from the source tables, for the given organisations (NULL: all), platform total included. The
    // caller makes it safe against concurrent writers: REPEATABLE READ plus the rollup advisory lock taken
    // beforehand (the reports service), or locks on the source tables (this migration).
    await run(`CREATE FUNCTION report_rebuild(orgs uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM set_config('work_mem', '256MB', true);
        INSERT INTO report_organisation_zones AS z (organisation_id, time_zone, source_time_zone, rebuilt_at)
        SELECT o.id, coalesce(known.name, 'Europe/Paris'), o.time_zone, now()
        FROM organisations o LEFT JOIN (SELECT name FROM pg_timezone_names) known ON known.name = o.time_zone
        WHERE orgs IS NULL OR o.id = ANY(orgs)
        ON CONFLICT (organisation_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
          source_time_zone = EXCLUDED.source_time_zone, rebuilt_at = EXCLUDED.rebuilt_at;
        IF orgs IS NULL THEN
          DELETE FROM report_delta;
          DELETE FROM report_daily;
          DELETE FROM report_monthly;
          DELETE FROM report_contact_times;
        ELSE
          ${platformTotal(-1)}
          DELETE FROM report_delta WHERE organisation_id = ANY(orgs);
          DELETE FROM report_daily WHERE organisation_id = ANY(orgs);
          DELETE FROM report_monthly WHERE organisation_id = ANY(orgs);
          DELETE FROM report_contact_times WHERE organisation_id = ANY(orgs);
        END IF;
        INSERT INTO report_daily (day, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')})
        SELECT day, organisation_id, subject, dim1, dim2, ${SUMS}
        FROM (${Object.keys(SOURCES).map(rebuildFacts).join('\n          UNION ALL ')}) x
        GROUP BY day, organisation_id, subject, dim1, dim2
        HAVING ${NONZERO}
        ORDER BY day, organisation_id, subject, dim1, dim2;
        INSERT INTO report_monthly (month, organisation_id, subject, dim1, dim2, ${COUNTERS.join(', ')})
        SELECT date_trunc('month', day)::date, organisation_id, subject, dim1, dim2, ${SUMS}
        FROM report_daily WHERE organisation_id <> '${PLATFORM}' AND (orgs IS NULL OR organisation_id = ANY(orgs))
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5;
        ${platformTotal(1)}
        INSERT INTO report_contact_times (alert_id, organisation_id, day, severity, positive, seconds)
        SELECT r.id, r.organisation_id, report_local_day(r.created_at, ${ZONE}), r.severity,
               report_alert_positive(r.reasons), greatest(0, round(extract(epoch FROM r.first_contact_at - r.created_at)))::integer
        FROM alerts r ${ZONE_JOIN}
        WHERE r.first_contact_at IS NOT NULL AND (orgs IS NULL OR r.organisation_id = ANY(orgs));
      END $fn$`);

    // Backfill what exists. CREATE TRIGGER above locked the source tables against writes until this
    // migration commits, so nothing can change underneath.
    await run(`SELECT report_rebuild(NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(`DROP TRIGGER IF EXISTS report_invitations_delete_sms_first ON "invitations"`);
    for (const table of Object.keys(SOURCES)) {
      for (const op of ['insert', 'update', 'delete'])
        await run(`DROP TRIGGER IF EXISTS report_${table}_${op} ON "${table}"`);
      await run(`DROP FUNCTION IF EXISTS report_track_${table}()`);
    }
    await run(`DROP FUNCTION IF EXISTS report_invitation_deleting()`);
    await run(`DROP FUNCTION IF EXISTS report_rebuild(uuid[])`);
    await run(`DROP FUNCTION IF EXISTS report_compact(integer)`);
    await run(
      `DROP FUNCTION IF EXISTS report_alert_facts(varchar, timestamptz, varchar, varchar[], varchar, timestamptz, timestamptz, timestamptz, varchar)`,
    );
    await run(
      `DROP FUNCTION IF EXISTS report_response_facts(varchar, timestamptz, varchar, varchar, varchar, boolean, boolean)`,
    );
    await run(
      `DROP FUNCTION IF EXISTS report_sms_facts(varchar, timestamptz, varchar, varchar, varchar, integer)`,
    );
    await run(
      `DROP FUNCTION IF EXISTS report_invitation_facts(varchar, timestamptz, varchar, varchar, timestamptz, timestamptz, timestamptz)`,
    );
    await run(
      `DROP FUNCTION IF EXISTS report_parent_facts(varchar, timestamptz, varchar, varchar, timestamptz)`,
    );
    await run(`DROP FUNCTION IF EXISTS report_alert_positive(varchar[])`);
    await run(`DROP FUNCTION IF EXISTS report_local_day(timestamptz, varchar)`);
    for (const table of [
      'report_organisation_zones',
      'report_contact_times',
      'report_monthly',
      'report_daily',
      'report_delta',
    ]) {
      await run(`DROP TABLE IF EXISTS "${table}"`);
    }
  }
}
