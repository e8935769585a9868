import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Both parents of a birth: parents of one household (mother and father/co-parent, each with their own record,
 * phone and consent) share a household id. No table of its own: a household is nothing but the link.
 */
export class ParentHouseholds1796414057696 implements MigrationInterface {
  name = 'ParentHouseholds1796414057696';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "parents" ADD "household_id" uuid`);
    await queryRunner.query(`CREATE INDEX "parents_household" ON "parents" ("household_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "parents_household"`);
    await queryRunner.query(`ALTER TABLE "parents" DROP COLUMN "household_id"`);
  }
}
