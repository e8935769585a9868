import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An RPPS number links an OpenID Connect identity to an account only when a platform admin recorded it:
 * `rpps_recorded_by` holds that admin's id. Numbers recorded before (by anyone holding users.manage) stay
 * visible but link nothing until a platform admin records them again.
 */
export class RppsRecordedBy1796410129927 implements MigrationInterface {
  name = 'RppsRecordedBy1796410129927';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "rpps_recorded_by" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "rpps_recorded_by"`);
  }
}
