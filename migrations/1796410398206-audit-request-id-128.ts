import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request ids are accepted from callers up to 128 characters of [A-Za-z0-9._-] (X-Request-Id, e.g. a
 * gateway's trace id); the audit log's column grows to hold them. Widening a varchar rewrites nothing.
 */
export class AuditRequestId1281796410398206 implements MigrationInterface {
  name = 'AuditRequestId1281796410398206';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" ALTER COLUMN "request_id" TYPE character varying(128)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" ALTER COLUMN "request_id" TYPE character varying(64) USING left("request_id", 64)`,
    );
  }
}
