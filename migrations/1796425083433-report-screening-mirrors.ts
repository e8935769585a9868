import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two trigger-kept tables for the report figures that used to scan `responses` on every report:
 *
 * - `report_birth_households`: one row per household (organisation, coalesce(household_id, parent id)) with
 *   its first consent time and whether two of its parents or more have answered. "Births" and "both parents
 *   screened" count these rows, dated at read time in the organisation's zone (as before).
 * - `report_screened_answers`: one narrow row per answer (organisation, parent, time, role, positive), what
 *   the care cascade needs of `responses`, read through an index instead of the wide table.
 *
 * Both are functions of their source rows alone (no zone in them: a zone change needs no rebuild). Answers
 * are copied row for row; households are recomputed for the keys a statement touches, under a per-household
 * transaction lock taken first, so that two writers of one household (two parents answering at once) never
 * leave a stale count. Deletes are followed too, the retention purge's included: like the figures they
 * serve, they forget purged parents. `report_screening_rebuild()` recomputes them from scratch: this
 * migration's backfill, and bulk loads written with triggers off (the reports bench).
 */
/** Seed of the per-household lock hashes (64-bit: a clash with another advisory lock is as good as impossible). */
const LOCK_SEED = 7_310_555_802;

export const BIRTH_ROWS = (where: string) => `
  SELECT p.organisation_id, coalesce(p.household_id, p.id) AS household_key,
         min(p.consent_recorded_at) AS first_consent_at,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM responses r WHERE r.parent_id = p.id)) >= 2 AS both_screened
    FROM parents p
   WHERE ${where}
   GROUP BY p.organisation_id, coalesce(p.household_id, p.id)`;

/**
 * This migration's report_births_refresh (one advisory lock per household), `create` being `CREATE FUNCTION` or
 * `CREATE OR REPLACE FUNCTION` (ReportBirthsRowLocks1796437126042's down restores it).
 */
export const BIRTHS_REFRESH = (
  create: string,
) => `${create} report_births_refresh(p_organisations uuid[], p_keys uuid[]) RETURNS void
      LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended('b' || k.o::text || k.h::text, ${LOCK_SEED}))
           FROM (SELECT DISTINCT o, h FROM unnest(p_organisations, p_keys) AS u(o, h) ORDER BY o, h) k;
        DELETE FROM report_birth_households b USING unnest(p_organisations, p_keys) AS k(o, h)
         WHERE b.organisation_id = k.o AND b.household_key = k.h;
        INSERT INTO report_birth_households (organisation_id, household_key, first_consent_at, both_screened)
        ${BIRTH_ROWS(`(p.organisation_id, coalesce(p.household_id, p.id)) IN (
            SELECT k.o, k.h FROM unnest(p_organisations, p_keys) AS k(o, h))
          AND (p.household_id = ANY(p_keys) OR p.id = ANY(p_keys))`)};
      END
    $fn$`;

const ANSWER_ROWS = (from: string, where: string) => `
  SELECT r.id, r.organisation_id, r.parent_id, r.created_at, r.parent_role, r.band <> 'low' OR r.item10_positive
    FROM ${from} r WHERE ${where}`;

export class ReportScreeningMirrors1796425083433 implements MigrationInterface {
  name = 'ReportScreeningMirrors1796425083433';

  async up(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    await run(
      `CREATE TABLE "report_birth_households" ("organisation_id" uuid NOT NULL, "household_key" uuid NOT NULL, "first_consent_at" TIMESTAMP WITH TIME ZONE NOT NULL, "both_screened" boolean NOT NULL, CONSTRAINT "PK_report_birth_households" PRIMARY KEY ("organisation_id", "household_key"))`,
    );
    await run(
      `CREATE INDEX "report_birth_households_consent" ON "report_birth_households" ("first_consent_at") INCLUDE ("organisation_id", "both_screened")`,
    );
    await run(
      `CREATE INDEX "report_birth_households_organisation_consent" ON "report_birth_households" ("organisation_id", "first_consent_at") INCLUDE ("both_screened")`,
    );
    await run(
      `CREATE TABLE "report_screened_answers" ("response_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "parent_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "role" character varying(20) NOT NULL, "positive" boolean NOT NULL, CONSTRAINT "PK_report_screened_answers" PRIMARY KEY ("response_id"))`,
    );
    await run(
      `CREATE INDEX "report_screened_answers_created" ON "report_screened_answers" ("created_at") INCLUDE ("organisation_id", "parent_id", "role", "positive")`,
    );
    await run(
      `CREATE INDEX "report_screened_answers_organisation_created" ON "report_screened_answers" ("organisation_id", "created_at") INCLUDE ("parent_id", "role", "positive")`,
    );

    // Recompute the given households, their locks taken in key order first so that the recomputation (a
    // new statement, so a new snapshot in READ COMMITTED) sees every writer of the household committed.
    await run(BIRTHS_REFRESH('CREATE FUNCTION'));

    // Households of the parents whose rows changed what births read (old and new keys).
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
    // Answers copied row for row; the households of parents who may have gained or lost their first answer.
    await run(`CREATE FUNCTION report_screening_track_responses() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE parents_changed uuid[]; o uuid[]; h uuid[];
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          DELETE FROM report_screened_answers a USING old_rows x WHERE a.response_id = x.id;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          INSERT INTO report_screened_answers (response_id, organisation_id, parent_id, created_at, role, positive)
          ${ANSWER_ROWS('new_rows', 'true')};
        END IF;
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(DISTINCT parent_id) INTO parents_changed FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT parent_id) INTO parents_changed FROM old_rows;
        ELSE
          SELECT array_agg(DISTINCT k.parent_id) INTO parents_changed FROM (
            SELECT x.parent_id FROM old_rows x JOIN new_rows y ON y.id = x.id WHERE x.parent_id <> y.parent_id
            UNION
            SELECT y.parent_id FROM old_rows x JOIN new_rows y ON y.id = x.id WHERE x.parent_id <> y.parent_id) k;
        END IF;
        IF parents_changed IS NULL THEN RETURN NULL; END IF;
        SELECT array_agg(k.organisation_id), array_agg(k.h) INTO o, h FROM (
          SELECT DISTINCT x.organisation_id, coalesce(x.household_id, x.id) AS h
            FROM parents x WHERE x.id = ANY(parents_changed)) k;
        IF o IS NOT NULL THEN PERFORM report_births_refresh(o, h); END IF;
        RETURN NULL;
      END
    $fn$`);
    // From scratch (all organisations when null), in the caller's transaction: the backfill below, and bulk
    // loads written with triggers off, while nothing else writes.
    await run(`CREATE FUNCTION report_screening_rebuild(p_organisations uuid[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM report_birth_households WHERE p_organisations IS NULL OR organisation_id = ANY(p_organisations);
        INSERT INTO report_birth_households (organisation_id, household_key, first_consent_at, both_screened)
        ${BIRTH_ROWS(`(p_organisations IS NULL OR p.organisation_id = ANY(p_organisations))`)};
        DELETE FROM report_screened_answers WHERE p_organisations IS NULL OR organisation_id = ANY(p_organisations);
        INSERT INTO report_screened_answers (response_id, organisation_id, parent_id, created_at, role, positive)
        ${ANSWER_ROWS('responses', `(p_organisations IS NULL OR r.organisation_id = ANY(p_organisations))`)};
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

    await run(`SELECT report_screening_rebuild(NULL)`);
    // Statistics for the backfilled rows now, not at autovacuum's next pass (reports plan on them).
    await run(`ANALYZE report_birth_households`);
    await run(`ANALYZE report_screened_answers`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const run = (sql: string) => queryRunner.query(sql);
    for (const name of ['insert', 'update', 'delete']) {
      await run(`DROP TRIGGER report_screening_responses_${name} ON responses`);
      await run(`DROP TRIGGER report_births_parents_${name} ON parents`);
    }
    await run(`DROP FUNCTION report_screening_rebuild(uuid[])`);
    await run(`DROP FUNCTION report_screening_track_responses()`);
    await run(`DROP FUNCTION report_births_track_parents()`);
    await run(`DROP FUNCTION report_births_refresh(uuid[], uuid[])`);
    await run(`DROP TABLE "report_screened_answers"`);
    await run(`DROP TABLE "report_birth_households"`);
  }
}
