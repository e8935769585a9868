import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the parent cascade (retention purge at national scale) and the invitation expiry sweep. */
export class PurgeAndSweepIndexes1763800600000 implements MigrationInterface {
  name = 'PurgeAndSweepIndexes1763800600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "invitations_parent" ON "invitations" ("parent_id")`);
    await queryRunner.query(
      `CREATE INDEX "invitations_live_expiry" ON "invitations" ("expires_at") WHERE status IN ('sent', 'opened')`,
    );
    await queryRunner.query(`CREATE INDEX "alerts_parent" ON "alerts" ("parent_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "alerts_parent"`);
    await queryRunner.query(`DROP INDEX "invitations_live_expiry"`);
    await queryRunner.query(`DROP INDEX "invitations_parent"`);
  }
}
