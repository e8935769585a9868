import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_events` becomes a table partitioned by month of `created_at` (UTC): the audit log grows for years,
 * and a month past AUDIT_RETENTION_MONTHS is then detached whole (kept as a standalone table for pg_dump
 * archiving) instead of deleted row by row, which the append-only trigger forbids anyway.
 *
 * - Partitions are named `audit_events_YYYY_MM` and cover [first of the month, first of the next) in UTC;
 *   `audit_events_default` catches rows outside every monthly partition (a clock far off) and is normally
 *   empty. The retention job (RetentionPurgeService.maintainAuditPartitions) creates the coming months ahead.
 * - The primary key must include the partition key: (id, created_at); ids still come from the same sequence.
 * - The append-only trigger is defined on the partitioned table, so PostgreSQL clones it onto every partition,
 *   present and future. Detaching removes the clone: audit_events_detach_before() puts a trigger of its own on
 *   each detached table, so an archived month stays append-only until it is dropped.
 *
 * TypeORM knows nothing of partitioning: the entity declares the composite primary key and the index, which
 * the drift check compares; partitions are tables it never looks at (it reads only the entities' tables).
 */
/** TypeORM's name for a primary key on (id, created_at) of audit_events: the drift check compares it. */
const PK = 'PK_7a893600893f8f5086bffa23f2b';

const ENSURE_PARTITION = `CREATE FUNCTION audit_events_ensure_partition(month date) RETURNS boolean
  LANGUAGE plpgsql AS $$
  DECLARE
    first_day date := date_trunc('month', month)::date;
    start_at timestamptz := first_day::timestamp AT TIME ZONE 'UTC';
    end_at timestamptz := (first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    part text := 'audit_events_' || to_char(first_day, 'YYYY_MM');
    stray boolean;
  BEGIN
    -- One creator at a time (several workers); transaction-scoped, so PgBouncer-safe.
    PERFORM pg_advisory_xact_lock(7310555902);
    IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM audit_events_default WHERE created_at >= %L AND created_at < %L)',
                   start_at, end_at) INTO stray;
    IF NOT stray THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)', part, start_at, end_at);
      RETURN true;
    END IF;
    -- Rows of that month already sit in the default partition: the new partition cannot be created over them.
    -- Detached, the default partition loses the cloned append-only trigger; its rows of the month move (no row
    -- is changed or lost) and it is attached back, getting the trigger again.
    ALTER TABLE audit_events DETACH PARTITION audit_events_default;
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)', part, start_at, end_at);
    EXECUTE format('INSERT INTO audit_events SELECT * FROM audit_events_default WHERE created_at >= %L AND created_at < %L',
                   start_at, end_at);
    EXECUTE format('DELETE FROM audit_events_default WHERE created_at >= %L AND created_at < %L', start_at, end_at);
    ALTER TABLE audit_events ATTACH PARTITION audit_events_default DEFAULT;
    RETURN true;
  END $$`;

const DETACH_BEFORE = `CREATE FUNCTION audit_events_detach_before(month date) RETURNS text[]
  LANGUAGE plpgsql AS $$
  DECLARE
    part text;
    detached text[] := '{}';
  BEGIN
    PERFORM pg_advisory_xact_lock(7310555902);
    FOR part IN
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_events'::regclass AND c.relname ~ '^audit_events_[0-9]{4}_[0-9]{2}$'
        AND to_date(substr(c.relname, 14), 'YYYY_MM') < date_trunc('month', month)::date
      ORDER BY c.relname
    LOOP
      EXECUTE format('ALTER TABLE audit_events DETACH PARTITION %I', part);
      EXECUTE format('CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()', part);
      EXECUTE format('COMMENT ON TABLE %I IS %L', part, 'Detached audit month: archive with pg_dump, then drop');
      detached := detached || part;
    END LOOP;
    RETURN detached;
  END $$`;

const COLUMNS =
  'id, organisation_id, actor_id, action, target_type, target_id, ip, request_id, metadata, created_at';

export class AuditEventsPartitioned1796413009620 implements MigrationInterface {
  name = 'AuditEventsPartitioned1796413009620';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`LOCK TABLE "audit_events" IN ACCESS EXCLUSIVE MODE`);
    await queryRunner.query(`ALTER TABLE "audit_events" RENAME TO "audit_events_unpartitioned"`);
    await queryRunner.query(
      `ALTER TABLE "audit_events_unpartitioned" RENAME CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" TO "PK_audit_events_unpartitioned"`,
    );
    await queryRunner.query(
      `ALTER INDEX "IDX_d094ef97c51d179723a6287508" RENAME TO "IDX_audit_events_unpartitioned_org"`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" bigint NOT NULL DEFAULT nextval('audit_events_id_seq'), "organisation_id" uuid, "actor_id" uuid, "action" character varying(64) NOT NULL, "target_type" character varying(32), "target_id" character varying(64), "ip" character varying(64), "request_id" character varying(128), "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "${PK}" PRIMARY KEY ("id", "created_at")) PARTITION BY RANGE ("created_at")`,
    );
    // The sequence follows the new table (dropping the old one would otherwise drop it).
    await queryRunner.query(`ALTER SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_d094ef97c51d179723a6287508" ON "audit_events" ("organisation_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    );
    await queryRunner.query(`CREATE TABLE "audit_events_default" PARTITION OF "audit_events" DEFAULT`);
    await queryRunner.query(ENSURE_PARTITION);
    await queryRunner.query(DETACH_BEFORE);
    // Every month holding rows, the current month and the next two.
    await queryRunner.query(
      `SELECT audit_events_ensure_partition(m) FROM (
         SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS m FROM "audit_events_unpartitioned"
         UNION SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => n))::date
           FROM generate_series(0, 2) n
       ) months ORDER BY m`,
    );
    await queryRunner.query(
      `INSERT INTO "audit_events" (${COLUMNS}) SELECT ${COLUMNS} FROM "audit_events_unpartitioned"`,
    );
    await queryRunner.query(`DROP TABLE "audit_events_unpartitioned"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`LOCK TABLE "audit_events" IN ACCESS EXCLUSIVE MODE`);
    await queryRunner.query(`ALTER TABLE "audit_events" RENAME TO "audit_events_partitioned"`);
    await queryRunner.query(
      `ALTER INDEX "IDX_d094ef97c51d179723a6287508" RENAME TO "IDX_audit_events_partitioned_org"`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" bigint NOT NULL DEFAULT nextval('audit_events_id_seq'), "organisation_id" uuid, "actor_id" uuid, "action" character varying(64) NOT NULL, "target_type" character varying(32), "target_id" character varying(64), "ip" character varying(64), "request_id" character varying(128), "metadata" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER SEQUENCE "audit_events_id_seq" OWNED BY "audit_events"."id"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_d094ef97c51d179723a6287508" ON "audit_events" ("organisation_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    );
    // Rows of detached months stay in their standalone tables (archives); the attached ones come back.
    await queryRunner.query(
      `INSERT INTO "audit_events" (${COLUMNS}) SELECT ${COLUMNS} FROM "audit_events_partitioned"`,
    );
    await queryRunner.query(`DROP TABLE "audit_events_partitioned"`);
    await queryRunner.query(`DROP FUNCTION audit_events_detach_before(date)`);
    await queryRunner.query(`DROP FUNCTION audit_events_ensure_partition(date)`);
  }
}
