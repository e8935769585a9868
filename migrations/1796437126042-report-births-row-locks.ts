import type { MigrationInterface, QueryRunner } from 'typeorm';
import { BIRTH_ROWS, BIRTHS_REFRESH } from './1796425083433-report-screening-mirrors.js';

/**
 * `report_births_refresh` (the births triggers' recomputation) took one transaction-level advisory lock per
 * household key. Such locks live in the server's shared lock table (max_locks_per_transaction × connections
 * slots) until commit, so one statement or transaction touching many households (a bulk load of parents, a
 * backfill setting household ids, a retention purge batch of 500 parents with other work running) filled it and
 * failed with "out of shared memory".
 *
 * The lock is now the household's own `report_birth_households` row. A row lock is written in the row itself
 * (no lock-table slot, however many rows), and the row is the very thing being recomputed:
 *
 * 1. "claim": one INSERT … ON CONFLICT DO UPDATE … WHERE false over the distinct keys in key order (so two
 *    writers never lock in crossing orders) locks every existing row of them without rewriting it (PostgreSQL
 *    locks each conflicting row whether its WHERE holds or not) and inserts a placeholder row for each new one.
 *    A concurrent writer of the same household waits here, on the row (existing) or on the uncommitted
 *    placeholder (new), until the first one commits, exactly as it waited on the advisory lock before.
 * 2. "recompute": a new statement, so a new snapshot in READ COMMITTED, that sees every earlier writer of these
 *    households committed: the rows are set from `parents`/`responses`, and the rows of households left with no
 *    parent (deletes, moves) are removed. Placeholders never outlive the function, so no reader sees one.
 *
 * Results are those of the previous version (the same BIRTH_ROWS); unchanged rows are no longer rewritten.
 */
const KEYS = `SELECT DISTINCT k.o, k.h FROM unnest(p_organisations, p_keys) AS k(o, h)`;

export class ReportBirthsRowLocks1796437126042 implements MigrationInterface {
  name = 'ReportBirthsRowLocks1796437126042';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_births_refresh(p_organisations uuid[], p_keys uuid[])
      RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO report_birth_households AS b (organisation_id, household_key, first_consent_at, both_screened)
        SELECT k.o, k.h, '-infinity'::timestamptz, false FROM (${KEYS}) k ORDER BY k.o, k.h
        ON CONFLICT (organisation_id, household_key) DO UPDATE SET household_key = b.household_key WHERE false;

        WITH fresh AS MATERIALIZED (${BIRTH_ROWS(`(p.organisation_id, coalesce(p.household_id, p.id)) IN (
              SELECT k.o, k.h FROM unnest(p_organisations, p_keys) AS k(o, h))
            AND (p.household_id = ANY(p_keys) OR p.id = ANY(p_keys))`)}),
        updated AS (
          UPDATE report_birth_households b SET first_consent_at = f.first_consent_at, both_screened = f.both_screened
            FROM fresh f
           WHERE b.organisation_id = f.organisation_id AND b.household_key = f.household_key
             AND (b.first_consent_at, b.both_screened) IS DISTINCT FROM (f.first_consent_at, f.both_screened))
        DELETE FROM report_birth_households b USING (${KEYS}) k
         WHERE b.organisation_id = k.o AND b.household_key = k.h
           AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.organisation_id = k.o AND f.household_key = k.h);
      END
    $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The previous version, as ReportScreeningMirrors1796425083433 created it.
    await queryRunner.query(BIRTHS_REFRESH('CREATE OR REPLACE FUNCTION'));
  }
}
