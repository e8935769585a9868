import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for reads that scanned whole large tables (plans measured on 2.4 million audit events over 24
 * monthly partitions, 60,000 contact times, 300,000 dev outbox rows; see the scale-pg notes in the README):
 * - audit log, newest first across organisations (platform admins): a backward scan of (created_at, id) per
 *   partition, merged, stops after one page instead of sorting every partition;
 * - audit log filtered by action: (action, created_at);
 * - report contact times over a period for the whole platform or a territory (no organisation list): (day);
 * - the retention purge's delete of the dev outbox copies by SMS id: (sms_message_id).
 * On the partitioned audit_events, each index is created on every partition, present and future.
 */
export class AuditReportPurgeIndexes1796413342760 implements MigrationInterface {
  name = 'AuditReportPurgeIndexes1796413342760';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "audit_events_created" ON "audit_events" ("created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "audit_events_action" ON "audit_events" ("action", "created_at")`);
    await queryRunner.query(`CREATE INDEX "report_contact_times_day" ON "report_contact_times" ("day")`);
    await queryRunner.query(
      `CREATE INDEX "dev_sms_outbox_sms_message" ON "dev_sms_outbox" ("sms_message_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "dev_sms_outbox_sms_message"`);
    await queryRunner.query(`DROP INDEX "report_contact_times_day"`);
    await queryRunner.query(`DROP INDEX "audit_events_action"`);
    await queryRunner.query(`DROP INDEX "audit_events_created"`);
  }
}
