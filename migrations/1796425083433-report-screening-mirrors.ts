import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two incremental structures for the report figures that used to scan `responses` on every report:
 *
 * - `report_birth_households`: one row per household (organisation, coalesce(household_id, parent id)) with
 *   its birth day (first consent, local to the organisation's zone) and whether two of its parents or more
 *   have answered. "Births" and "both parents screened" are counts of these rows.
 * - `report_screened_days`: one row per parent, organisation and local day (rollup zone) on which the parent
 *   answered, with the smallest role and whether an answer of that day was positive. The care cascade's
 *   "screened" parents of a period are the distinct parents of these rows (min of mins, or of ors).
 *
 * Both are functions of their source rows only, recomputed for the keys a statement touches (statement
 * triggers with transition tables, under a per-key transaction lock so that two writers of one household
 * never leave a stale count). Deletes are followed too, the retention purge's included: like the figures
 * they replace, they forget purged parents. `report_screening_rebuild()` recomputes them from scratch
 * (this migration's backfill, and the rollups' rebuild of an organisation).
 */
/** Seed of the per-key lock hashes (64-bit: a clash with another advisory lock is as good as impossible). */
const LOCK_SEED = 7_310_555_802;

const BIRTH_ROWS = (where: string) => `
  SELECT p.organisation_id, coalesce(p.household_id, p.id) AS household_key,
         report_birth_day(min(p.consent_recorded_at), min(og.time_zone)) AS day,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.parent_id = p.id)) >= 2 AS both_screened
    FROM parents p JOIN organisations og ON og.id = p.organisation_id
   WHERE ${where}
   GROUP BY p.organisation_id, coalesce(p.household_id, p.id)`;

const SCREENED_ROWS = (where: string) => `
  SELECT r.organisation_id, r.parent_id, report_local_day(r.created_at, zn.tz) AS day,
         min(r.parent_role) AS role, bool_or(r.band <> 'low' OR r.item10_positive) AS positive
    FROM responses r
    JOIN (SELECT o.id AS organisation_id, coalesce(z.time_zone, 'Europe/Paris') AS tz
            FROM organisations o LEFT JOIN report_organisation_zones z ON z.organisation_id = o.id) zn
      ON zn.organisation_id = r.organisation_id
   WHERE ${where}
   GROUP BY 1, 2, 3`;

export class ReportScreeningMirrors1796425083433 implements MigrationInterface {
  name = 'ReportScreeningMirrors1796425083433';

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(
      `CREATE TABLE "report_birth_households" ("organisation_id" uuid NOT NULL, "household_key" uuid NOT NULL, "day" date, "both_screened" boolean NOT NULL, CONSTRAINT "PK_report_birth_households" PRIMARY KEY ("organisation_id", "household_key"))`,
    );
    await run(
      `CREATE INDEX "report_birth_households_day" ON "report_birth_households" ("day") INCLUDE ("organisation_id", "both_screened")`,
    );
    await run(
      `CREATE INDEX "report_birth_households_organisation_day" ON "report_birth_households" ("organisation_id", "day") INCLUDE ("both_screened")`,
    );
    await run(
      `CREATE TABLE "report_screened_days" ("organisation_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "day" date NOT NULL, "role" character varying(20) NOT NULL, "positive" boolean NOT NULL, CONSTRAINT "PK_report_screened_days" PRIMARY KEY ("organisation_id", "parent_id", "day"))`,
    );
    await run(
      `CREATE INDEX "report_screened_days_day" ON "report_screened_days" ("day") INCLUDE ("organisation_id", "parent_id", "role", "positive")`,
    );
    await run(
      `CREATE INDEX "report_screened_days_organisation_day" ON "report_screened_days" ("organisation_id", "day") INCLUDE ("parent_id", "role", "positive")`,
    );

    // The local day in the organisation's zone; in Europe/Paris for a zone Postgres does not know (the
    // rollups' fallback), so that writes never fail on it.
    await run(`CREATE FUNCTION report_birth_day(ts timestamptz, tz varchar) RETURNS date LANGUAGE plpgsql STABLE AS $fn$
      BEGIN
        RETURN (ts AT TIME ZONE tz)::date;
      EXCEPTION WHEN invalid_parameter_value THEN
        RETURN (ts AT TIME ZONE 'Europe/Paris')::date;
      END
    $fn$`);
    // Recompute the given households / (organisation, parent) pairs, locks taken in key order first so that
    // the recomputation (a new statement, a new snapshot in READ COMMITTED) sees every committed writer.
    await run(`CREATE FUNCTION report_births_refresh(p_organisations uuid[], p_keys uuid[]) RETURNS void
      LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('b' || k.o::text || k.h::text, ${LOCK_SEED}))
           FROM (SELECT DISTINCT o, h FROM unnest(p_organisations, p_keys) AS u(o, h) ORDER BY o, h) k;
        DELETE FROM report_birth_households b USING unnest(p_organisations, p_keys) AS k(o, h)
         WHERE b.organisation_id = k.o AND b.household_key = k.h;
        INSERT INTO report_birth_households (organisation_id, household_key, day, both_screened)
        ${BIRTH_ROWS(`(p.organisation_id, coalesce(p.household_id, p.id)) IN (
            SELECT k.o, k.h FROM unnest(p_organisations, p_keys) AS k(o, h))
          AND (p.household_id = ANY(p_keys) OR p.id = ANY(p_keys))`)};
      END
    $fn$`);
    await run(`CREATE FUNCTION report_screened_refresh(p_organisations uuid[], p_parents uuid[]) RETURNS void
      LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('s' || k.o::text || k.p::text, ${LOCK_SEED}))
           FROM (SELECT DISTINCT o, p FROM unnest(p_organisations, p_parents) AS u(o, p) ORDER BY o, p) k;
        DELETE FROM report_screened_days s USING unnest(p_organisations, p_parents) AS k(o, p)
         WHERE s.organisation_id = k.o AND s.parent_id = k.p;
        INSERT INTO report_screened_days (organisation_id, parent_id, day, role, positive)
        ${SCREENED_ROWS(`r.parent_id = ANY(p_parents) AND (r.organisation_id, r.parent_id) IN (
            SELECT k.o, k.p FROM unnest(p_organisations, p_parents) AS k(o, p))`)};
      END
    $fn$`);

    // Households of the parents whose rows changed (old and new keys), and of parents who gained or lost
    // an answer.
    await run(`CREATE FUNCTION report_births_track_parents() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE o uuid[]; h uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(organisation_id), array_agg(coalesce(household_id, id)) INTO o, h FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(organisation_id), array_agg(coalesce(household_id, id)) INTO o, h FROM old_rows;
        ELSE
          SELECT array_agg(k.o), array_agg(k.h) INTO o, h FROM (
            SELECT x.organisation_id AS o, coalesce(x.household_id, x.id) AS h
              FROM old_rows x JOIN new_rows y ON y.id = x.id
             WHERE (x.organisation_id, x.household_id, x.consent_recorded_at)
                   IS DISTINCT FROM (y.organisation_id, y.household_id, y.consent_recorded_at)
            UNION
            SELECT y.organisation_id, coalesce(y.household_id, y.id)
              FROM old_rows x JOIN new_rows y ON y.id = x.id
             WHERE (x.organisation_id, x.household_id, x.consent_recorded_at)
                   IS DISTINCT FROM (y.organisation_id, y.household_id, y.consent_recorded_at)) k;
        END IF;
        IF o IS NOT NULL THEN PERFORM report_births_refresh(o, h); END IF;
        RETURN NULL;
      END
    $fn$`);
    await run(`CREATE FUNCTION report_screening_track_responses() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE o uuid[]; p uuid[]; po uuid[]; ph uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(k.organisation_id), array_agg(k.parent_id) INTO o, p
            FROM (SELECT DISTINCT organisation_id, parent_id FROM new_rows) k;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(k.organisation_id), array_agg(k.parent_id) INTO o, p
            FROM (SELECT DISTINCT organisation_id, parent_id FROM old_rows) k;
        ELSE
          SELECT array_agg(k.organisation_id), array_agg(k.parent_id) INTO o, p FROM (
            SELECT x.organisation_id, x.parent_id FROM old_rows x JOIN new_rows y ON y.id = x.id
             WHERE (x.organisation_id, x.parent_id, x.created_at, x.parent_role, x.band, x.item10_positive)
                   IS DISTINCT FROM (y.organisation_id, y.parent_id, y.created_at, y.parent_role, y.band, y.item10_positive)
            UNION
            SELECT y.organisation_id, y.parent_id FROM old_rows x JOIN new_rows y ON y.id = x.id
             WHERE (x.organisation_id, x.parent_id, x.created_at, x.parent_role, x.band, x.item10_positive)
                   IS DISTINCT FROM (y.organisation_id, y.parent_id, y.created_at, y.parent_role, y.band, y.item10_positive)) k;
        END IF;
        IF p IS NULL THEN RETURN NULL; END IF;
        PERFORM report_screened_refresh(o, p);
        -- Whether a parent has answered at all decides "both parents screened".
        SELECT array_agg(k.organisation_id), array_agg(k.h) INTO po, ph FROM (
          SELECT DISTINCT x.organisation_id, coalesce(x.household_id, x.id) AS h
            FROM parents x WHERE x.id = ANY(p)) k;
        IF po IS NOT NULL THEN PERFORM report_births_refresh(po, ph); END IF;
        RETURN NULL;
      END
    $fn$`);
    // A new birth-day zone for an organisation's households; a new rollup zone for its screened days.
    await run(`CREATE FUNCTION report_births_track_organisations() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.time_zone IS DISTINCT FROM OLD.time_zone THEN PERFORM report_screening_rebuild(ARRAY[NEW.id]); END IF;
        RETURN NULL;
      END
    $fn$`);
    await run(`CREATE FUNCTION report_screening_track_zones() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'DELETE' THEN PERFORM report_screening_rebuild(ARRAY[OLD.organisation_id]);
        ELSIF TG_OP = 'INSERT' OR NEW.time_zone IS DISTINCT FROM OLD.time_zone THEN
          PERFORM report_screening_rebuild(ARRAY[NEW.organisation_id]);
        END IF;
        RETURN NULL;
      END
    $fn$`);
    // From scratch for some organisations (null: all), in the caller's snapshot (the rollups' rebuild).
    await run(`CREATE FUNCTION report_screening_rebuild(p_organisations uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM report_birth_households WHERE p_organisations IS NULL OR organisation_id = ANY(p_organisations);
        INSERT INTO report_birth_households (organisation_id, household_key, day, both_screened)
        ${BIRTH_ROWS(`(p_organisations IS NULL OR p.organisation_id = ANY(p_organisations))`)};
        DELETE FROM report_screened_days WHERE p_organisations IS NULL OR organisation_id = ANY(p_organisations);
        INSERT INTO report_screened_days (organisation_id, parent_id, day, role, positive)
        ${SCREENED_ROWS(`(p_organisations IS NULL OR r.organisation_id = ANY(p_organisations))`)};
      END
    $fn$`);

    for (const op of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      const transition =
        op === 'INSERT'
          ? 'NEW TABLE AS new_rows'
          : op === 'DELETE'
            ? 'OLD TABLE AS old_rows'
            : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      const name = op.toLowerCase();
      await run(`CREATE TRIGGER report_births_parents_${name} AFTER ${op} ON parents
        REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION report_births_track_parents()`);
      await run(`CREATE TRIGGER report_screening_responses_${name} AFTER ${op} ON responses
        REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION report_screening_track_responses()`);
    }
    await run(`CREATE TRIGGER report_births_organisations_update AFTER UPDATE ON organisations
      FOR EACH ROW EXECUTE FUNCTION report_births_track_organisations()`);
    await run(`CREATE TRIGGER report_screening_zones AFTER INSERT OR UPDATE OR DELETE ON report_organisation_zones
      FOR EACH ROW EXECUTE FUNCTION report_screening_track_zones()`);

    await run(`SELECT report_screening_rebuild(NULL)`);
    // Statistics for the backfilled rows now, not at autovacuum's next pass (reports plan on them).
    await run(`ANALYZE report_birth_households`);
    await run(`ANALYZE report_screened_days`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(`DROP TRIGGER report_screening_zones ON report_organisation_zones`);
    await run(`DROP TRIGGER report_births_organisations_update ON organisations`);
    for (const name of ['insert', 'update', 'delete']) {
      await run(`DROP TRIGGER report_screening_responses_${name} ON responses`);
      await run(`DROP TRIGGER report_births_parents_${name} ON parents`);
    }
    await run(`DROP FUNCTION report_screening_track_zones()`);
    await run(`DROP FUNCTION report_births_track_organisations()`);
    await run(`DROP FUNCTION report_screening_rebuild(uuid[])`);
    await run(`DROP FUNCTION report_screening_track_responses()`);
    await run(`DROP FUNCTION report_births_track_parents()`);
    await run(`DROP FUNCTION report_screened_refresh(uuid[], uuid[])`);
    await run(`DROP FUNCTION report_births_refresh(uuid[], uuid[])`);
    await run(`DROP FUNCTION report_birth_day(timestamptz, varchar)`);
    await run(`DROP TABLE "report_screened_days"`);
    await run(`DROP TABLE "report_birth_households"`);
  }
}
