import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Urgent paging: each organisation's on-call rota (entries with encrypted professional mobiles). */
export class OnCallRotas1796413835687 implements MigrationInterface {
  name = 'OnCallRotas1796413835687';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "on_call_rotas" ("organisation_id" uuid NOT NULL, "ack_minutes" integer NOT NULL DEFAULT '10', "voice" boolean NOT NULL DEFAULT false, "entries" jsonb NOT NULL DEFAULT '[]', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5df71b9349c0612c2de1ed5668d" PRIMARY KEY ("organisation_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "on_call_rotas" ADD CONSTRAINT "FK_5df71b9349c0612c2de1ed5668d" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "on_call_rotas"`);
  }
}
