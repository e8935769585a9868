import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions get an absolute end: each refresh token carries its family's `session_expires_at` (sign-in +
 * REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS), copied unchanged at every rotation, so refreshing can never extend a
 * session past it. Tokens issued before this migration end no later than they already do.
 */
export class RefreshSessionAbsoluteExpiry1796410238480 implements MigrationInterface {
  name = 'RefreshSessionAbsoluteExpiry1796410238480';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "session_expires_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "refresh_tokens" SET "session_expires_at" = "expires_at"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ALTER COLUMN "session_expires_at" SET NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "session_expires_at"`);
  }
}
