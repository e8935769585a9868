import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: the default dashboard (every alert but closed ones) walks a partial index in its sort order
 * (severity, contact deadline, id) and stops at the page size, and counts per severity read the index only.
 */
export class AlertsDashboardActive1763800400000 implements MigrationInterface {
  name = 'AlertsDashboardActive1763800400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "alerts_dashboard_active" ON "alerts"  ("organisation_id", "severity_rank", "contact_due_at", "id") WHERE status <> 'closed'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "alerts_dashboard_active"`);
  }
}
