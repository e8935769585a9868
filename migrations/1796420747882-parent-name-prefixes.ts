import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial name search: keyed indexes of the parents' name prefixes (HMAC under BLIND_INDEX_KEY, see
 * backend/src/modules/parents/name-prefixes.ts) in an array column with a GIN index. SQL cannot compute them
 * (names are encrypted, the key is configuration): existing rows stay null here and the worker's backfill
 * (ParentNamePrefixesBackfill) fills them at start-up.
 */
export class ParentNamePrefixes1796420747882 implements MigrationInterface {
  name = 'ParentNamePrefixes1796420747882';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "parents" ADD "name_prefixes" text array`);
    await queryRunner.query(`CREATE INDEX "parents_name_prefixes" ON "parents" USING gin ("name_prefixes")`);
    // The backfill's "what is left" probe reads this small partial index, not the table.
    await queryRunner.query(
      `CREATE INDEX "parents_name_prefixes_missing" ON "parents" ("id") WHERE "name_prefixes" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "parents_name_prefixes_missing"`);
    await queryRunner.query(`DROP INDEX "parents_name_prefixes"`);
    await queryRunner.query(`ALTER TABLE "parents" DROP COLUMN "name_prefixes"`);
  }
}
