import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMS pipeline: when the last send attempt started (an unknown outcome waits a grace period from it); search by
 * first name; the dev outbox listed per organisation, newest first.
 */
export class SmsPipeline1763800200000 implements MigrationInterface {
  name = 'SmsPipeline1763800200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sms_messages" ADD "last_attempt_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "IDX_1f127ff53f9006f6c8601e0c93" ON "parents"  ("first_name_index") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_00b80a8f0f46ecd6a4ff2f6c79" ON "dev_sms_outbox"  ("organisation_id", "created_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_00b80a8f0f46ecd6a4ff2f6c79"`);
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_1f127ff53f9006f6c8601e0c93"`);
    await queryRunner.query(`ALTER TABLE "sms_messages" DROP COLUMN IF EXISTS "last_attempt_at"`);
  }
}
